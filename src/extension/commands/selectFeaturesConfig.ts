/** "RecLens: Choose Config for Features": which config's slots the Features view lists. */
import { chooseConfig } from '../configs';
import type { Services } from './services';

export const selectFeaturesConfig =
  ({ features }: Services) =>
  async () => {
    const uri = await chooseConfig();
    if (uri) {
      features.config = uri;
      features.refresh();
    }
  };
