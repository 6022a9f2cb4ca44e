/** Who is calling: what a Keystone middleware (or noauth) tells the API. */
export interface Actor {
  user_id: string | null;
  project_id: string;
  roles: string[];
}

export const isAdmin = (actor: Actor): boolean => actor.roles.includes('admin');
