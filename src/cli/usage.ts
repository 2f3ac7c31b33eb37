import type { Command, CommanderError } from 'commander';

/** Exit status of a command used wrongly (unknown or missing option or argument, a refused value). */
export const USAGE_EXIT = 2;

/**
 * A usage error is one line on stderr with a pointer to the command's help, and exit status 2; the whole
 * help is only for who asks (`--help`). Commander copies these settings only to commands made after them,
 * so this walks the finished tree.
 */
export function reportUsageErrorsInOneLine(command: Command): void {
  command.configureOutput({ outputError: () => undefined });
  command.exitOverride((error) => exitFor(command, error));
  for (const sub of command.commands) reportUsageErrorsInOneLine(sub);
}

function exitFor(command: Command, error: CommanderError): never {
  // --help and --version print and succeed.
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') process.exit(0);
  // A group without its subcommand (`tradeloop jobs`): commander printed the group's help to stderr.
  if (error.code === 'commander.help') process.exit(USAGE_EXIT);
  const message = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
  process.stderr.write(`error: ${message.replace(/\.$/, '')}; see \`${commandPath(command)} --help\`\n`);
  process.exit(USAGE_EXIT);
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
