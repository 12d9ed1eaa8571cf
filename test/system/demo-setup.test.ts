import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, migrateToLatest, type Db } from '../../db/database';
import { insertAgency } from '../../db/repositories/agencies';
import { checkCertificateChain, loadTestCredential, summariseCertificate } from '../../signing/index';
import { setUpDemo } from '../../system/demo-setup';
import { createLogger } from '../../system/logger';
import { createTestDatabase } from '../support/database';

const scratch = mkdtempSync(path.join(tmpdir(), 'demo-setup-'));
const databases: Db[] = [];
afterAll(async () => {
  await Promise.all(databases.map((db) => db.destroy()));
  rmSync(scratch, { recursive: true, force: true });
});

async function freshDatabase(prefix: string): Promise<Db> {
  const db = createDb(await createTestDatabase(prefix), { maxConnections: 2 });
  databases.push(db);
  await migrateToLatest(db);
  return db;
}

/** One start's demo step, with what it printed and logged. */
async function start(db: Db, config: { seedDemo: boolean; pkiDir: string }) {
  let printed = '';
  let logged = '';
  const logger = createLogger('info', new Writable({ write: (chunk, _encoding, done) => ((logged += String(chunk)), done()) }));
  await setUpDemo({ config, db, logger, print: (text) => (printed += `${text}\n`) });
  return { printed, logged };
}

const fingerprint = (file: string) => new X509Certificate(readFileSync(file)).fingerprint256;
const mode = (file: string) => statSync(file).mode & 0o777;

describe('the demo set-up at start', () => {
  it('creates the demo agency and its test certificates on the first start, and reuses them on the next', async () => {
    const db = await freshDatabase('demo_setup');
    const pkiDir = path.join(scratch, 'on', 'pki');
    const first = await start(db, { seedDemo: true, pkiDir });

    const agency = /Demo agency created: (.+) \((\S+)\)/.exec(first.printed);
    expect(agency, first.printed).not.toBeNull();
    const [, agencyName, agencyCode] = agency!;
    const users = await db.selectFrom('users').select(['username', 'full_name', 'roles']).execute();
    const leader = users.find((user) => user.roles.includes('leader'))!;

    const files = {
      rootCertificate: path.join(pkiDir, 'root', 'ca.cert.pem'),
      rootKey: path.join(pkiDir, 'root', 'ca.key.pem'),
      agency: path.join(pkiDir, 'agencies', `${agencyCode}.p12`),
      agencyCertificate: path.join(pkiDir, 'agencies', `${agencyCode}.cert.pem`),
      signer: path.join(pkiDir, 'signers', `${leader.username}.p12`),
      signerCertificate: path.join(pkiDir, 'signers', `${leader.username}.cert.pem`),
    };
    expect(readdirSync(path.join(pkiDir, 'agencies')).filter((f) => f.endsWith('.p12'))).toEqual([`${agencyCode}.p12`]);
    expect(readdirSync(path.join(pkiDir, 'signers')).filter((f) => f.endsWith('.p12'))).toEqual([`${leader.username}.p12`]);
    for (const secret of [files.rootKey, files.agency, `${files.agency}.password`, files.signer, `${files.signer}.password`]) {
      expect(mode(secret), secret).toBe(0o600);
    }

    // The organisation certificate names the demo agency, the personal one its leader; both chain to the root.
    const rootPem = readFileSync(files.rootCertificate, 'utf8');
    const organisation = await loadTestCredential({ p12Path: files.agency, passwordPath: `${files.agency}.password`, certificatePath: files.agencyCertificate });
    const personal = await loadTestCredential({ p12Path: files.signer, passwordPath: `${files.signer}.password`, certificatePath: files.signerCertificate });
    expect(summariseCertificate(organisation.certificate)).toMatchObject({ agencyCode, kind: 'organisation' });
    expect(summariseCertificate(organisation.certificate).subject).toContain(agencyName);
    expect(summariseCertificate(personal.certificate)).toMatchObject({ agencyCode, kind: 'personal' });
    expect(summariseCertificate(personal.certificate).subject).toContain(leader.full_name);
    for (const credential of [organisation, personal]) {
      expect(checkCertificateChain({ leaf: credential.certificate, intermediates: [], trustedRoots: [rootPem], at: new Date() }).ok).toBe(true);
    }

    // No key password reaches the terminal or the log.
    for (const passwordFile of [`${files.agency}.password`, `${files.signer}.password`]) {
      const password = readFileSync(passwordFile, 'utf8').trim();
      expect(first.printed + first.logged).not.toContain(password);
    }
    expect(first.logged).toContain('demo test certificates ready');

    // The next start prints no passwords and keeps every certificate as it was.
    const before = Object.fromEntries(
      [files.rootCertificate, files.agencyCertificate, files.signerCertificate].map((file) => [file, fingerprint(file)]),
    );
    const second = await start(db, { seedDemo: true, pkiDir });
    expect(second.printed).toBe('');
    for (const [file, print] of Object.entries(before)) expect(fingerprint(file), file).toBe(print);
  });

  it('creates neither demo data nor demo keys when SEED_DEMO is off', async () => {
    const db = await freshDatabase('demo_setup_off');
    const pkiDir = path.join(scratch, 'off', 'pki');
    const run = await start(db, { seedDemo: false, pkiDir });
    expect(run.printed).toBe('');
    expect(await db.selectFrom('agencies').select('id').execute()).toEqual([]);
    expect(existsSync(pkiDir)).toBe(false);
  });

  it('makes no demo keys for an installation whose agencies were set up by hand before its first start', async () => {
    const db = await freshDatabase('demo_setup_manual');
    await db.transaction().execute((trx) => insertAgency(trx, { code: 'H49.10', name: 'UBND huyện Vân Đồn', parent_id: null, hub: null }));
    const pkiDir = path.join(scratch, 'manual', 'pki');
    const run = await start(db, { seedDemo: true, pkiDir });
    expect(run.printed).toBe('');
    expect(existsSync(pkiDir)).toBe(false);
  });
});
