import { Option, type Command } from 'commander';
import { MIN_PASSWORD_LENGTH } from '../auth/password-policy.ts';
import { AppError } from '../core/errors.ts';
import { addUser, createOrganizationWithUser } from '../http/auth.ts';
import { resolveTenant, withContext } from './context.ts';
import { email as emailAddress, text } from './options.ts';

interface CreateOptions {
  email: string;
  password?: string;
  passwordStdin?: boolean;
  name?: string;
  org?: string;
  newOrg?: string;
}

/**
 * `tradeloop users create`. The password is never an argument (arguments show in the process list and
 * the shell history): it is typed at a hidden prompt, or read from standard input with --password-stdin.
 */
export function registerUserCommands(program: Command): void {
  const usersCommand = program.command('users').description('Manage users');
  usersCommand
    .command('create')
    .description('Create a user (and, unless --org names an existing one, a new organization)')
    .addOption(new Option('--email <email>', 'sign-in email').argParser(emailAddress).makeOptionMandatory())
    .option(
      '--password-stdin',
      `read the password (${MIN_PASSWORD_LENGTH}+ characters) from standard input, for scripts`,
    )
    .addOption(new Option('--password <password>').hideHelp())
    .addOption(new Option('--name <name>', 'display name').argParser(text()))
    .addOption(
      new Option('--org <id-or-name>', 'add the user to this existing organization')
        .argParser(text())
        .conflicts('newOrg'),
    )
    .addOption(
      new Option('--new-org <name>', 'name of the new organization (default: "<email>\'s organization")').argParser(
        text(),
      ),
    )
    .action(async (options: CreateOptions) => {
      if (options.password !== undefined)
        throw new AppError(
          'PASSWORD_ON_COMMAND_LINE',
          'Passwords are not taken as an argument (it would show in the process list and the shell history): use --password-stdin, or run in a terminal to be asked',
        );
      const email = options.email;
      const password = await readPassword(options.passwordStdin ?? false);
      await withContext(
        async (ctx) => {
          const name = options.name ?? email.split('@')[0] ?? email;
          if (options.org) {
            const tenantId = await resolveTenant(ctx, options.org);
            const userId = await addUser(ctx, tenantId, { email, name, password });
            console.log(`Created user ${email} (${userId}) in organization ${tenantId}`);
            return;
          }
          const created = await createOrganizationWithUser(ctx, {
            organization: options.newOrg ?? `${email}'s organization`,
            email,
            name,
            password,
          });
          console.log(`Created organization ${created.tenantId} and user ${email} (${created.userId})`);
        },
        { logLevel: 'warn' },
      );
    });
}

async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    // The first line: `echo "$PASSWORD" | …` and a file with a final newline both work.
    const password = text.split(/\r?\n/)[0] ?? '';
    if (password === '') throw new AppError('PASSWORD_MISSING', '--password-stdin: standard input held no password');
    return password;
  }
  if (!process.stdin.isTTY)
    throw new AppError(
      'PASSWORD_MISSING',
      'No terminal to ask for the password: pass --password-stdin and write the password to standard input',
    );
  const password = await promptHidden(`Password (${MIN_PASSWORD_LENGTH}+ characters): `);
  if ((await promptHidden('Repeat it: ')) !== password)
    throw new AppError('PASSWORD_MISMATCH', 'The two passwords differ; nothing was created');
  return password;
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    let value = '';
    const finish = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish();
          reject(new AppError('CANCELLED', 'Cancelled; nothing was created'));
          return;
        }
        value = ch === '\u007f' || ch === '\b' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}
