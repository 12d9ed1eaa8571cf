import { readFile, stat, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CredentialError, loadPem, loadPkcs12 } from '../signing/credentials';
import { CertificateReadError } from '../signing/certificates';
import { summarisePackage, safe } from './cli-show';
import { DEFAULT_LIMITS, EdxmlParseError, hasErrors, parsePackage, validatePackage } from './index';
import { PackageSigningError, signPackageXml } from './signature';
import { verifyPackageXml } from './signature-verify';

/**
 * `npm run edxml -- <command> FILE`:
 *   validate FILE                                   exit 0 valid, 1 invalid (faults listed), 2 unreadable or unsafe
 *   show FILE                                       summary with Vietnamese labels; exit 2 when unreadable
 *   sign FILE --p12 F --password-file F [--out F]   signs as the agency; exit 1 refused, 2 unreadable input or key
 *   sign FILE --key F --cert F [--password-file F] [--out F]   the same from PEM (key encrypted or not)
 *   verify FILE --trusted-root F [--crl F] [--allow-sha1] [--sender CODE]
 *                                                   exit 0 signature verified, 1 refused (code and reason), 2 unreadable
 */
const USAGE = `Cách dùng:
  npm run edxml -- validate TỆP
  npm run edxml -- show TỆP
  npm run edxml -- sign TỆP --p12 TỆP_P12 --password-file TỆP_MẬT_KHẨU [--out TỆP_RA]
  npm run edxml -- sign TỆP --key KHÓA_PEM --cert CHỨNG_THƯ_PEM [--password-file TỆP_MẬT_KHẨU] [--out TỆP_RA]
  npm run edxml -- verify TỆP --trusted-root TỆP_PEM [--trusted-root ...] [--crl TỆP_CRL] [--allow-sha1] [--sender MÃ_ĐỊNH_DANH]
`;

export const EXIT = { ok: 0, refused: 1, unreadable: 2 } as const;

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'validate':
        return await validateCommand(rest);
      case 'show':
        return await showCommand(rest);
      case 'sign':
        return await signCommand(rest);
      case 'verify':
        return await verifyCommand(rest);
      default:
        process.stderr.write(USAGE);
        return EXIT.unreadable;
    }
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

async function validateCommand(args: string[]): Promise<number> {
  const { file } = single(args, {});
  const pkg = parseOrExplain(await readInput(file));
  const faults = validatePackage(pkg);
  for (const fault of faults) {
    const level = fault.severity === 'error' ? 'LỖI' : 'CẢNH BÁO';
    process.stdout.write(`${level}\t${safe(fault.path)}\t${fault.code}\t${safe(fault.message)}\n`);
  }
  if (hasErrors(faults)) {
    process.stdout.write(`Gói tin không hợp lệ: ${faults.filter((f) => f.severity === 'error').length} lỗi.\n`);
    return EXIT.refused;
  }
  process.stdout.write('Gói tin hợp lệ.\n');
  return EXIT.ok;
}

async function showCommand(args: string[]): Promise<number> {
  const { file } = single(args, {});
  process.stdout.write(summarisePackage(parseOrExplain(await readInput(file))));
  return EXIT.ok;
}

async function signCommand(args: string[]): Promise<number> {
  const { file, values } = single(args, {
    p12: { type: 'string' },
    key: { type: 'string' },
    cert: { type: 'string' },
    'password-file': { type: 'string' },
    out: { type: 'string' },
  });
  const p12 = typeof values.p12 === 'string' ? values.p12 : undefined;
  const key = typeof values.key === 'string' ? values.key : undefined;
  const cert = typeof values.cert === 'string' ? values.cert : undefined;
  const passwordFile = typeof values['password-file'] === 'string' ? values['password-file'] : undefined;
  if (p12 ? key || cert || !passwordFile : !key || !cert) {
    throw new CliError(`Cần --p12 với --password-file, hoặc --key với --cert.\n${USAGE}`, EXIT.unreadable);
  }
  const xml = (await readInput(file)).toString('utf8');
  const password = passwordFile ? (await readInput(passwordFile)).toString('utf8').replace(/\r?\n$/, '') : undefined;
  let signed: string;
  try {
    const credential = p12
      ? loadPkcs12(await readInput(p12), password ?? '')
      : loadPem((await readInput(key!)).toString('utf8'), (await readInput(cert!)).toString('utf8'), password);
    signed = signPackageXml(xml, credential);
  } catch (error) {
    if (error instanceof CredentialError || error instanceof CertificateReadError) {
      const code = error instanceof CredentialError ? error.code : 'unreadable';
      throw new CliError(`Không dùng được khóa hoặc chứng thư [${code}]: ${error.message}`, EXIT.unreadable);
    }
    if (error instanceof PackageSigningError) {
      throw new CliError(`Không ký được gói tin [${error.code}]: ${error.message}`, EXIT.refused);
    }
    throw error;
  }
  if (typeof values.out === 'string') {
    await writeFile(values.out, signed, { encoding: 'utf8', flag: 'w' });
    process.stderr.write(`Đã ký gói tin, ghi vào ${values.out}\n`);
  } else {
    process.stdout.write(signed);
  }
  return EXIT.ok;
}

async function verifyCommand(args: string[]): Promise<number> {
  const { file, values } = single(args, {
    'trusted-root': { type: 'string', multiple: true },
    crl: { type: 'string', multiple: true },
    'allow-sha1': { type: 'boolean' },
    sender: { type: 'string' },
  });
  const roots = (values['trusted-root'] as string[] | undefined) ?? [];
  if (roots.length === 0) throw new CliError(`Thiếu --trusted-root.\n${USAGE}`, EXIT.unreadable);
  const xml = (await readInput(file)).toString('utf8');
  const trustedRoots = await Promise.all(roots.map((root) => readInput(root)));
  const crlFiles = values.crl as string[] | undefined;
  const crls = crlFiles ? await Promise.all(crlFiles.map((crl) => readInput(crl))) : undefined;
  let result;
  try {
    result = await verifyPackageXml(xml, {
      trustedRoots,
      crls,
      allowSha1: values['allow-sha1'] === true,
      expectedSenderAgencyCode: typeof values.sender === 'string' ? values.sender : undefined,
    });
  } catch (error) {
    if (error instanceof CertificateReadError) throw new CliError(`Không đọc được chứng thư gốc: ${error.message}`, EXIT.unreadable);
    throw error;
  }
  if (!result.ok) {
    process.stdout.write(`Chữ ký số KHÔNG hợp lệ [${result.code}]: ${result.reason}\nChi tiết: ${safe(result.detail)}\n`);
    return EXIT.refused;
  }
  process.stdout.write(
    [
      'Chữ ký số hợp lệ.',
      `Người ký: ${safe(result.signer.subject)}`,
      `Mã định danh cơ quan: ${result.signer.agencyCode ?? ''}`,
      `Số hiệu chứng thư: ${result.signer.serial}`,
      `Thuật toán: ${result.algorithm}`,
      `Thời điểm ký: ${result.signingTime.toISOString()} (nguồn: ${result.signingTimeSource})`,
      `Kiểm tra thu hồi: ${result.revocationChecked ? 'Có' : 'Không (chưa cấu hình CRL)'}`,
    ].join('\n') + '\n',
  );
  return EXIT.ok;
}

type OptionSpec = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function single(args: string[], options: OptionSpec): { file: string; values: Record<string, unknown> } {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`, EXIT.unreadable);
  }
  if (parsed.positionals.length !== 1) throw new CliError(`Cần đúng một tệp gói tin.\n${USAGE}`, EXIT.unreadable);
  return { file: parsed.positionals[0], values: parsed.values as Record<string, unknown> };
}

/** Reads a file, refusing anything over the package size limit before reading it whole. */
async function readInput(file: string): Promise<Buffer> {
  try {
    const { size } = await stat(file);
    if (size > DEFAULT_LIMITS.maxPackageBytes) {
      throw new CliError(`Tệp ${file} vượt quá ${DEFAULT_LIMITS.maxPackageBytes} byte.`, EXIT.unreadable);
    }
    return await readFile(file);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`Không đọc được tệp ${file}: ${(error as NodeJS.ErrnoException).code ?? 'lỗi'}`, EXIT.unreadable);
  }
}

function parseOrExplain(bytes: Buffer) {
  try {
    return parsePackage(bytes);
  } catch (error) {
    if (error instanceof EdxmlParseError) {
      throw new CliError(`Không đọc được gói tin [${error.code}]: ${safe(error.message)}`, EXIT.unreadable);
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`Lỗi không mong đợi: ${(error as Error).message}\n`);
      process.exitCode = EXIT.unreadable;
    },
  );
}
