import type { Db } from '../db/database';
import { findDemoSigningIdentities, seedDemo } from '../db/seed-demo';
import { ensureTestPki, type TestPki } from '../signing/index';
import type { AppConfig } from './config';
import { demoBanner } from './demo-banner';
import type { Logger } from './logger';

export interface DemoSetupOptions {
  config: Pick<AppConfig, 'seedDemo' | 'pkiDir'>;
  db: Db;
  logger: Logger;
  /** Writes to the terminal (not the log): the demo passwords, once. */
  print: (text: string) => void;
}

/**
 * The demo installation (SEED_DEMO): on the first start a demo agency with one person per role, their generated
 * passwords printed once; on every start the demo's test certificate authority under PKI_DIR, created the first
 * time and reused afterwards. Does nothing when SEED_DEMO is off (the scaled setup).
 */
export async function setUpDemo({ config, db, logger, print }: DemoSetupOptions): Promise<void> {
  if (!config.seedDemo) return;
  const seeded = await seedDemo(db);
  if (seeded) print(demoBanner(seeded));
  const pki = await ensureDemoPki(db, config.pkiDir);
  // Paths and names only: the keys' passwords stay in their 0600 files.
  if (pki) logger.info({ pkiDir: pki.dir, agencies: Object.keys(pki.agencies), signers: Object.keys(pki.signers) }, 'demo test certificates ready');
}

/**
 * A root, the demo agency's organisation certificate and its leader's personal certificate, from what the
 * database holds. ensureTestPki keeps existing files, so a restart reuses them (it only re-issues the CRL
 * when that nears its next update). Null without a demo agency.
 */
async function ensureDemoPki(db: Db, dir: string): Promise<TestPki | null> {
  const demo = await findDemoSigningIdentities(db);
  if (!demo) return null;
  return ensureTestPki({
    dir,
    agencies: [demo.agency],
    signers: demo.signers.map((signer) => ({ id: signer.username, fullName: signer.fullName, agencyCode: demo.agency.code })),
  });
}
