import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { SCHEMA_PATH } from '../../paths.js';
import { write } from '../output.js';

export function schemaCommand(): Command {
  return new Command('schema')
    .description('Print the JSON Schema of the workflow DSL (for editors and other tools).')
    .addHelpText('after', `\nThe same file ships with the package: ${SCHEMA_PATH}`)
    .action(async () => {
      await write(process.stdout, await readFile(SCHEMA_PATH, 'utf8'));
    });
}
