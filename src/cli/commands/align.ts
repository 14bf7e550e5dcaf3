/** `reclens align`: how an embedding table's neighbours agree with preference pairs and with another table. */
import type { BucketSplit } from '../../engine/embedding/alignment';
import type { Flags } from '../flags';
import { fmt, int, table } from '../format';
import type { Io } from '../io';
import { jobCommand } from '../jobCommand';

const split = (s: BucketSplit | null) =>
  s ? [fmt(s.overall), fmt(s.cold), fmt(s.warm), fmt(s.hot), int(s.count)] : ['n/a', '', '', '', ''];

export const alignCommand = (flags: Flags, io: Io): Promise<number> =>
  jobCommand('align', flags, io, ({ result: r }) => {
    const rows = [['measure', 'overall', 'cold', 'warm', 'hot', 'n']];
    if (r.recallAtK) rows.push([`recall@${r.k} of ${r.preferences} pairs`, ...split(r.recallAtK)]);
    if (r.recallAtKAgainst) rows.push([`  same for ${r.against}`, ...split(r.recallAtKAgainst)]);
    if (r.jaccardAtK) rows.push([`Jaccard@${r.k} vs ${r.against}`, ...split(r.jaccardAtK)]);
    if (r.alignment) rows.push(['alignment (lower = closer pairs)', ...split(r.alignment)]);
    return [
      `RecLens align: ${r.table} (${int(r.rows)} rows; buckets cold ${int(r.buckets.cold)}, warm ${int(r.buckets.warm)}, hot ${int(r.buckets.hot)})`,
      table(rows),
      `  uniformity ${fmt(r.uniformity)} (lower = more uniform)${r.sharedIds !== null ? `; ${int(r.sharedIds)} ids shared with ${r.against}` : ''}`,
      ...(r.semanticIds
        ? [
            `  semantic ids: ${r.semanticIds.levels} levels, utilisation ${r.semanticIds.utilisation.map((u) => fmt(u, 3)).join(' / ')}, collision rate ${fmt(r.semanticIds.collisionRate, 3)}, pairs with equal codes ${fmt(r.semanticIds.pairsSameCode, 3)} (first level ${fmt(r.semanticIds.pairsSameFirstLevel, 3)})`,
          ]
        : []),
      `  neighbours on ${r.knnProvider}; ${fmt(r.seconds, 2)} s`,
    ];
  });
