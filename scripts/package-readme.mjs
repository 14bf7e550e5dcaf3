// Writes dist/README.md, the README inside the .vsix (vsce package --readme-path dist/README.md): the repository's
// README.md with each relative image inlined as a data: URI and each relative link made absolute on the repository.
// Why: VS Code's extension page drops relative image and link targets (its sanitizer keeps http(s), command and
// data:image URIs only), and an installed extension may be offline, so the screenshots travel inside the README.
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const repo = pkg.repository.url.replace(/\.git$/, '');
const MIME = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };
const relative = (link) => !/^[a-z][a-z0-9+.-]*:/i.test(link) && !link.startsWith('#');

export function packageReadme(text) {
  return text.replace(/(!?)\[([^\]]*)\]\(([^)\s]+)\)/g, (all, bang, label, link) => {
    if (!relative(link)) return all;
    if (bang) {
      const file = path.join(root, link);
      const mime = MIME[path.extname(file).toLowerCase()];
      if (!mime) throw new Error(`README.md: image ${link} is not a PNG, JPEG or GIF (SVG is not allowed in a .vsix README)`);
      return `![${label}](data:${mime};base64,${fs.readFileSync(file).toString('base64')})`;
    }
    const [file, anchor] = link.split('#');
    if (!fs.existsSync(path.join(root, file))) throw new Error(`README.md links to ${file}, which does not exist`);
    return `[${label}](${repo}/blob/HEAD/${path.posix.normalize(file)}${anchor ? '#' + anchor : ''})`;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist', 'README.md'), packageReadme(fs.readFileSync(path.join(root, 'README.md'), 'utf8')));
}
