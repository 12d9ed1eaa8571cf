/**
 * edXML benchmark (`npm run bench:edxml`): packages per second for parse+validate+verify and for build+sign at
 * about 10 KB, 1 MB and 10 MB (the size comes from the attachment), each beside two floors measured in the same
 * run: a plain fast-xml-parser parse of the same bytes, and a raw node:crypto RSA-2048 sign/verify of one
 * SHA-256 digest. The last line is one JSON object; ratio_to_floor = plain parse time / parse+validate+verify
 * time at 1 MB (the aim: above 1/3, i.e. verifying costs less than three parses).
 *
 * Options: --quick (10 KB and 1 MB only, shorter runs) for a smoke check.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { buildPackage, parsePackage, validatePackage } from '../../edxml/index';
import { signPackageXml } from '../../edxml/signature';
import { verifyPackageXml } from '../../edxml/signature-verify';
import { privateKeyToPem } from '../../signing/keys';
import { ensureTestPki, loadTestCredential } from '../../signing/test-ca';
import { benchPackage } from './package';
import { measure, type Measurement } from './measure';

const quick = process.argv.includes('--quick');
const SIZES: [label: string, bytes: number][] = quick
  ? [['10KB', 10 * 1024], ['1MB', 1024 * 1024]]
  : [['10KB', 10 * 1024], ['1MB', 1024 * 1024], ['10MB', 10 * 1024 * 1024]];
const BUDGET_MS = quick ? 400 : 1_500;
const SENDER = { code: '000.00.00.H49', name: 'Ủy ban nhân dân tỉnh Quảng Ninh' };

interface SizeResult {
  label: string;
  bytes: number;
  plainParse: Measurement;
  parse: Measurement;
  validate: Measurement;
  verify: Measurement;
  parseValidateVerify: Measurement;
  build: Measurement;
  sign: Measurement;
  buildSign: Measurement;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-edxml-'));
  try {
    const pki = await ensureTestPki({ dir, agencies: [SENDER] });
    const credential = await loadTestCredential(pki.agencies[SENDER.code]);
    const trustedRoots = [await readFile(pki.rootCertificatePath, 'utf8')];
    const crls = [await readFile(pki.crlPath, 'utf8')];
    const plainParser = new XMLParser();

    // Floor: one RSA-2048 signature and one verification of a SHA-256 digest, straight through node:crypto.
    const privateKey = createPrivateKey(privateKeyToPem(credential.privateKey));
    const publicKey = createPublicKey(privateKey);
    const digest = createHash('sha256').update('edXML').digest();
    const signature = sign('sha256', digest, privateKey);
    const floorSign = measure(() => sign('sha256', digest, privateKey), BUDGET_MS);
    const floorVerify = measure(() => verify('sha256', digest, publicKey, signature), BUDGET_MS);

    const results: SizeResult[] = [];
    for (const [label, bytes] of SIZES) {
      const pkg = benchPackage(bytes);
      const unsigned = buildPackage(pkg);
      const signed = signPackageXml(unsigned, credential);
      const check = await verifyPackageXml(signed, { trustedRoots, crls });
      if (!check.ok) throw new Error(`bench package does not verify: ${JSON.stringify(check)}`);
      const faults = validatePackage(parsePackage(signed)).filter((f) => f.severity === 'error');
      if (faults.length > 0) throw new Error(`bench package is not valid: ${JSON.stringify(faults)}`);

      const verifyOnce = async () => {
        const result = await verifyPackageXml(signed, { trustedRoots, crls });
        if (!result.ok) throw new Error('verification failed during the run');
      };
      const parsed = parsePackage(signed);
      const result: SizeResult = {
        label,
        bytes: Buffer.byteLength(signed),
        plainParse: measure(() => plainParser.parse(signed), BUDGET_MS),
        parse: measure(() => parsePackage(signed), BUDGET_MS),
        validate: measure(() => validatePackage(parsed), BUDGET_MS),
        verify: await measure.async(verifyOnce, BUDGET_MS),
        parseValidateVerify: await measure.async(async () => {
          validatePackage(parsePackage(signed));
          await verifyOnce();
        }, BUDGET_MS),
        build: measure(() => buildPackage(pkg), BUDGET_MS),
        sign: measure(() => signPackageXml(unsigned, credential), BUDGET_MS),
        buildSign: measure(() => signPackageXml(buildPackage(pkg), credential), BUDGET_MS),
      };
      results.push(result);
      report(result, floorSign, floorVerify);
    }

    const at1mb = results.find((r) => r.label === '1MB')!;
    const figures: Record<string, number | string> = {
      bench: 'edxml',
      ratio_to_floor: Number((at1mb.plainParse.msPerOp / at1mb.parseValidateVerify.msPerOp).toFixed(3)),
      floor_rsa_sign_ms: Number(fmt(floorSign.msPerOp, 3)),
      floor_rsa_verify_ms: Number(fmt(floorVerify.msPerOp, 3)),
    };
    for (const r of results) {
      const key = r.label.toLowerCase();
      figures[`bytes_${key}`] = r.bytes;
      figures[`plain_parse_ms_${key}`] = Number(fmt(r.plainParse.msPerOp, 2));
      figures[`parse_ms_${key}`] = Number(fmt(r.parse.msPerOp, 2));
      figures[`verify_ms_${key}`] = Number(fmt(r.verify.msPerOp, 2));
      figures[`parse_validate_verify_per_s_${key}`] = Number(fmt(r.parseValidateVerify.opsPerSecond, 2));
      figures[`build_sign_per_s_${key}`] = Number(fmt(r.buildSign.opsPerSecond, 2));
      figures[`parse_validate_verify_vs_plain_parse_${key}`] = Number((r.parseValidateVerify.msPerOp / r.plainParse.msPerOp).toFixed(3));
    }
    console.log(JSON.stringify(figures));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function report(r: SizeResult, floorSign: Measurement, floorVerify: Measurement): void {
  const line = (name: string, m: Measurement, floor: Measurement, floorName: string) =>
    console.log(
      `  ${name.padEnd(24)} ${fmt(m.opsPerSecond, 2).padStart(10)} pkg/s ${fmt(m.msPerOp, 2).padStart(10)} ms/pkg` +
        `   ${fmt(m.msPerOp / floor.msPerOp, 2).padStart(8)} × ${floorName}  (n=${m.iterations})`,
    );
  console.log(`${r.label}: signed package of ${r.bytes} bytes`);
  line('plain parse (floor)', r.plainParse, r.plainParse, 'plain parse');
  line('parse', r.parse, r.plainParse, 'plain parse');
  line('validate', r.validate, r.plainParse, 'plain parse');
  line('verify', r.verify, floorVerify, 'RSA verify');
  line('parse+validate+verify', r.parseValidateVerify, r.plainParse, 'plain parse');
  line('build', r.build, r.plainParse, 'plain parse');
  line('sign', r.sign, floorSign, 'RSA sign');
  line('build+sign', r.buildSign, floorSign, 'RSA sign');
}

await main();
