import { parseArgs } from 'node:util';
import { AppError } from '../api/errors';
import { ConfigError, loadConfig } from '../system/config';
import { createLogger } from '../system/logger';
import { COMMANDS } from './commands';
import { connectCliDatabase } from './connect';

/** Exit codes: 0 done; 1 unexpected failure; 2 wrong usage or configuration; 3 refused input (validation, not found, conflict). */
const EXIT = { ok: 0, failure: 1, usage: 2, refused: 3 } as const;

function help(): string {
  return [
    'Cách dùng: npm run cli -- <lệnh> [tùy chọn]',
    '',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
    '',
    'Kết nối DATABASE_URL nếu có; nếu không, dùng PostgreSQL nhúng trong DATA_DIR (mặc định ./data),',
    'kể cả khi `npm start` đang chạy.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(help() + '\n');
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`Lệnh không tồn tại: ${name}\n\n${help()}\n`);
    return EXIT.usage;
  }
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      options: Object.fromEntries(command.options.map((o) => [o, { type: 'string' as const }])),
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\nCách dùng: npm run cli -- ${command.usage}\n`);
    return EXIT.usage;
  }
  if (parsed.positionals.length !== command.positionals) {
    process.stderr.write(`Cách dùng: npm run cli -- ${command.usage}\n`);
    return EXIT.usage;
  }

  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  }
  const logger = createLogger(config.logLevel === 'debug' || config.logLevel === 'trace' ? config.logLevel : 'warn', process.stderr);
  const connection = await connectCliDatabase(config, logger);
  try {
    process.stderr.write(`Cơ sở dữ liệu: ${connection.description}\n`);
    await command.run(connection.db, parsed.values as Record<string, string | undefined>, parsed.positionals, (line) =>
      process.stdout.write(line + '\n'),
    );
    return EXIT.ok;
  } catch (err) {
    if (err instanceof AppError && err.status < 500) {
      process.stderr.write(`Không thực hiện được (${err.code})${err.faults.length === 0 ? `: ${err.message}` : ':'}\n`);
      for (const fault of err.faults) process.stderr.write(`  - ${fault.field}: ${fault.message ?? fault.reason} [${fault.reason}]\n`);
      return EXIT.refused;
    }
    throw err;
  } finally {
    await connection.close();
  }
}

// The exit code tells a script whether the command was done, refused or wrongly called.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`Lỗi: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(EXIT.failure);
  },
);
