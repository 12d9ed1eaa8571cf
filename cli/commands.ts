import { readFile, stat } from 'node:fs/promises';
import { AppError } from '../api/errors';
import type { Db } from '../db/database';
import { CLI_ACTOR } from '../db/repositories/audit-log';
import { findAgencyByCodeUnscoped } from '../db/repositories/agencies';
import { listUnits } from '../db/repositories/units';
import { findUserByUsernameUnscoped } from '../db/repositories/users';
import { normalizeUsername } from '../api/auth/usernames';
import { createAgency } from '../api/v1/use-cases/create-agency';
import { AGENCY_CSV_MAX_BYTES, importAgencies } from '../api/v1/use-cases/import-agencies';
import { createUser } from '../api/v1/use-cases/create-user';
import { resetUserPassword } from '../api/v1/use-cases/reset-user-password';
import { unlockUser } from '../api/v1/use-cases/unlock-user';

export type Options = Record<string, string | undefined>;

export interface Command {
  usage: string;
  options: string[];
  /** Positional arguments it needs. */
  positionals: number;
  run(db: Db, options: Options, positionals: string[], print: (line: string) => void): Promise<void>;
}

/** Everything the CLI can do; each command is one use case, audited under the actor `cli`. */
export const COMMANDS: Record<string, Command> = {
  'agency:create': {
    usage: 'agency:create --code MÃ --name "TÊN" [--parent MÃ_CHA] [--hub TRỤC]',
    options: ['code', 'name', 'parent', 'hub'],
    positionals: 0,
    async run(db, o, _p, print) {
      const agency = await createAgency({ db, actor: CLI_ACTOR, input: { code: o.code, name: o.name, parentCode: o.parent, hub: o.hub } });
      print(`Đã tạo cơ quan ${agency.code} – ${agency.name}`);
    },
  },
  'agency:import': {
    usage: 'agency:import TỆP.csv   (cột: agency_code,name,parent_code,hub; UTF-8; có dòng tiêu đề)',
    options: [],
    positionals: 1,
    async run(db, _o, [file], print) {
      const size = (await stat(file)).size;
      if (size > AGENCY_CSV_MAX_BYTES) {
        throw AppError.validation([{ field: 'file', reason: 'too_large', message: `Tệp lớn quá ${AGENCY_CSV_MAX_BYTES / 1024 / 1024} MB` }]);
      }
      const summary = await importAgencies({ db, actor: CLI_ACTOR, csv: await readFile(file) });
      print(`Đã nhập danh sách cơ quan: ${summary.created.length} tạo mới, ${summary.updated.length} cập nhật, ${summary.unchanged} không đổi`);
    },
  },
  'user:create': {
    usage: 'user:create --agency MÃ --username TÊN_ĐĂNG_NHẬP --name "HỌ TÊN" --roles clerk,leader [--unit MÃ_ĐƠN_VỊ]',
    options: ['agency', 'username', 'name', 'roles', 'unit'],
    positionals: 0,
    async run(db, o, _p, print) {
      const agency = o.agency ? await findAgencyByCodeUnscoped(db, o.agency) : undefined;
      if (!agency) {
        throw AppError.validation([{ field: 'agency', reason: 'not_found', message: `Không tìm thấy cơ quan ${o.agency ?? '(chưa nhập --agency)'}` }]);
      }
      let unitId: string | undefined;
      if (o.unit !== undefined) {
        unitId = (await listUnits(db, agency.id)).find((u) => u.code === o.unit)?.id;
        if (!unitId) throw AppError.validation([{ field: 'unit', reason: 'not_found', message: `Cơ quan không có đơn vị mã ${o.unit}` }]);
      }
      const { user, password } = await createUser({
        db,
        actor: CLI_ACTOR,
        agencyId: agency.id,
        input: { username: o.username, fullName: o.name, roles: o.roles ?? '', unitId },
      });
      print(`Đã tạo người dùng ${user.username} (${user.roles.join(', ')}) thuộc ${agency.code}`);
      print(`Mật khẩu (chỉ hiện một lần): ${password}`);
    },
  },
  'user:reset-password': {
    usage: 'user:reset-password --username TÊN_ĐĂNG_NHẬP',
    options: ['username'],
    positionals: 0,
    async run(db, o, _p, print) {
      const user = await userNamed(db, o.username);
      const { password } = await resetUserPassword({ db, actor: CLI_ACTOR, agencyId: user.agency_id, userId: user.id });
      print(`Đã đặt lại mật khẩu cho ${user.username}; các phiên đăng nhập cũ đã kết thúc`);
      print(`Mật khẩu mới (chỉ hiện một lần): ${password}`);
    },
  },
  'user:unlock': {
    usage: 'user:unlock --username TÊN_ĐĂNG_NHẬP',
    options: ['username'],
    positionals: 0,
    async run(db, o, _p, print) {
      const user = await userNamed(db, o.username);
      const cleared = await unlockUser({ db, actor: CLI_ACTOR, agencyId: user.agency_id, userId: user.id });
      print(`Đã mở khóa ${user.username} (xóa ${cleared} lần đăng nhập sai)`);
    },
  },
};

async function userNamed(db: Db, username: string | undefined) {
  const user = username ? await findUserByUsernameUnscoped(db, normalizeUsername(username)) : undefined;
  if (!user) {
    throw AppError.validation([{ field: 'username', reason: 'not_found', message: `Không tìm thấy người dùng ${username ?? '(chưa nhập --username)'}` }]);
  }
  return user;
}
