import type { Role } from '../../db/schema';

/** The person a request acts for, set by the identity middleware. */
export interface AuthenticatedUser {
  id: string;
  agencyId: string;
  agencyCode: string;
  agencyName: string;
  username: string;
  fullName: string;
  /** For an API token: the token's roles that its creator still holds. */
  roles: Role[];
}

/** How the request proved who it is; CSRF checks apply to sessions only. */
export type Credential =
  | { kind: 'session'; cookieValue: string; csrfToken: string }
  | { kind: 'api_token'; tokenId: string };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: AuthenticatedUser;
      credential?: Credential;
    }
  }
}
