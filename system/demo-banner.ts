import type { DemoSeed } from '../db/seed-demo';

const ROLE_NAMES: Record<string, string> = {
  clerk: 'văn thư / clerk',
  leader: 'lãnh đạo / leader',
  officer: 'chuyên viên / officer',
  admin: 'quản trị quy trình / admin',
  operator: 'vận hành / operator',
};

/**
 * The one and only time the generated demo passwords are shown: printed to the terminal, never to the log.
 */
export function demoBanner(seed: DemoSeed): string {
  const width = Math.max(...seed.users.map((u) => u.username.length));
  const lines = seed.users.map((u) => `  ${u.username.padEnd(width)}  ${u.password}   (${ROLE_NAMES[u.role] ?? u.role})`);
  return [
    '',
    '================================================================================',
    `Đã tạo cơ quan mẫu / Demo agency created: ${seed.agency.name} (${seed.agency.code})`,
    'Tài khoản mẫu và mật khẩu (chỉ hiển thị MỘT LẦN, hãy lưu lại và đổi sau khi đăng nhập):',
    'Demo accounts and passwords (shown ONCE only: note them, change them after logging in):',
    '',
    ...lines,
    '',
    'Quên mật khẩu / Lost a password:  npm run cli -- user:reset-password --username <tên đăng nhập>',
    '================================================================================',
    '',
  ].join('\n');
}
