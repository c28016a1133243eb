import { Command, Option } from 'commander';
import type { WorkflowDefinition } from '../../../interpreter/model.js';
import { UsageError } from '../../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import { useColor, write } from '../output.js';

interface DiffOptions {
  git?: string;
  format: 'text' | 'markdown' | 'json';
  exitCode?: boolean;
}

export function diffCommand(): Command {
  return new Command('diff')
    .description('Compare two versions of a workflow for review: steps added, removed, moved or changed, options, signals, queries, output, and input schema changes that break callers.')
    .argument('<old>', 'the old version (with --git: the file, compared with itself at <ref>)')
    .argument('[new]', 'the new version')
    .option('--git <ref>', 'compare <old> as it is at this git revision with the working copy')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--exit-code', `exit ${EXIT_CODES.failed} when there are changes, like git diff --exit-code`)
    .addHelpText(
      'after',
      `
Steps are matched by id. A change is breaking when input or signal payloads that the
old version accepted are refused by the new one, or a signal or query is removed, or
the workflow is renamed. --format markdown is for a pull request comment: a summary,
a table of changes and the new version's flowchart.

Exit codes: ${EXIT_CODES.ok} compared, whether or not anything changed (with --exit-code: ${EXIT_CODES.failed} when something did);
${EXIT_CODES.failed} a version has validation errors (printed); ${EXIT_CODES.usage} unreadable file, unknown git revision or bad flags.

Examples:
  revo diff old/order.yaml order.yaml
  revo diff --git HEAD definitions/order-fulfilment.yaml
  revo diff --git origin/main flows/order.yaml --format markdown > comment.md`,
    )
    .action(async (first: string, second: string | undefined, options: DiffOptions) => {
      if (options.git !== undefined && second !== undefined) throw new UsageError('with --git, give one file: revo diff --git <ref> <file>');
      if (options.git === undefined && second === undefined) throw new UsageError('give two files, revo diff <old> <new>, or one with a git revision, revo diff --git <ref> <file>');
      const [{ readWorkflowFile, checkForReview }, { loadText }, { readAtRevision }, { diffDefinitions }, { DIFF_FORMATS }] = await Promise.all([
        import('../../load/review-input.js'),
        import('../../load/load.js'),
        import('../../diff/git.js'),
        import('../../diff/diff.js'),
        import('../../diff/format/index.js'),
      ]);
      const newFile = second ?? first;
      // The working copy first: "no such file" is the clearest message, and git runs in its directory.
      const newLoaded = await readWorkflowFile(newFile);
      const oldFile = options.git === undefined ? await readWorkflowFile(first) : await readAtRevision(first, options.git).then(({ label, text }) => loadText(label, text));
      const input = checkForReview([oldFile, newLoaded], useColor(process.stderr));
      if (!input.ok) {
        process.stderr.write(input.report);
        process.exitCode = EXIT_CODES.failed;
        return;
      }
      const [before, after] = input.definitions as [WorkflowDefinition, WorkflowDefinition];
      const diff = diffDefinitions(before, after);
      const mermaid = options.format === 'markdown' ? await newVersionChart(after) : undefined;
      const context = { oldLabel: oldFile.file, newLabel: newFile, color: useColor(process.stdout), ...(mermaid !== undefined && { mermaid }) };
      await write(process.stdout, DIFF_FORMATS[options.format](diff, context));
      process.exitCode = options.exitCode && diff.changes.length > 0 ? EXIT_CODES.failed : EXIT_CODES.ok;
    });
}

/** The new version's flowchart, for the markdown format's pull request comment. */
async function newVersionChart(definition: WorkflowDefinition): Promise<string> {
  const { buildGraph, GRAPH_FORMATS } = await import('../../graph/index.js');
  return GRAPH_FORMATS.mermaid(buildGraph(definition));
}
