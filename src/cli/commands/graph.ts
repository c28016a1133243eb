import { Command, Option } from 'commander';
import { EXIT_CODES } from '../exit-codes.js';
import { useColor, write } from '../output.js';

interface GraphOptions {
  format: 'mermaid' | 'dot';
}

export function graphCommand(): Command {
  return new Command('graph')
    .description('Draw a workflow as a flowchart: Mermaid (renders in GitHub Markdown) or Graphviz DOT.')
    .argument('<file>', 'the workflow file')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['mermaid', 'dot']).default('mermaid'))
    .addHelpText(
      'after',
      `
Every step is a node (id, kind, activity or target); edges show switch cases, loops,
parallel branches (fork and join), catch clauses, compensations (dashed) and the
skip path of steps with a \`when\`. The file must be valid; activities are not needed.

Exit codes: ${EXIT_CODES.ok} drawn; ${EXIT_CODES.failed} the file has validation errors (printed); ${EXIT_CODES.usage} missing file or bad flags.

Examples:
  revo graph definitions/order-fulfilment.yaml > order.mmd
  revo graph order.yaml --format dot | dot -Tsvg > order.svg`,
    )
    .action(async (file: string, options: GraphOptions) => {
      const [{ readWorkflowFile, checkForReview }, { buildGraph, GRAPH_FORMATS }] = await Promise.all([import('../../load/review-input.js'), import('../../graph/index.js')]);
      const input = checkForReview([await readWorkflowFile(file)], useColor(process.stderr));
      if (!input.ok) {
        process.stderr.write(input.report);
        process.exitCode = EXIT_CODES.failed;
        return;
      }
      await write(process.stdout, GRAPH_FORMATS[options.format](buildGraph(input.definitions[0]!)));
    });
}
