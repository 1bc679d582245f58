// The command line that reproduces the run (summary.json `command`): the CLI's arguments quoted for a POSIX shell,
// or "library call" when the run came from the library API.

import { escapeHtml as esc } from '../format.js';
import type { SectionInput } from '../section.js';

export function reproduce({ data }: SectionInput): string {
  const c = data.summary.command;
  if (c === 'library call') return '<p>This run was a library call (no command line); its options are listed under Options.</p>';
  return `<p>The command that produced this report (the output directory is written OUT_DIR):</p>\n<pre class="command"><code>${esc(c)}</code></pre>`;
}
