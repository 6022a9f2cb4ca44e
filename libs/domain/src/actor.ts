/** Who is calling: what a Keystone middleware (or noauth) tells the API. */
export interface Actor {
  user_id: string | null;
  project_id: string;
  roles: string[];
  /** keystone: the domain of the token's project (or of a domain-scoped token). */
  domain_id?: string | null;
  /** keystone: `all` for a system-scoped token. */
  system_scope?: string | null;
}

export const isAdmin = (actor: Actor): boolean => actor.roles.includes('admin');
