import type { ExternalGatewayInfo, Router } from '../model';
import type { RouterCreateAttrs } from './validate-create';

/** A new router: ACTIVE, no routes; its gateway (if any) once its port has its addresses. */
export function buildRouter(attrs: RouterCreateAttrs, ids: { id: string; now: string }, gateway: ExternalGatewayInfo | null): Router {
  return {
    id: ids.id,
    name: attrs.name,
    description: attrs.description,
    tenant_id: attrs.tenant_id,
    project_id: attrs.project_id,
    admin_state_up: attrs.admin_state_up,
    status: 'ACTIVE',
    external_gateway_info: gateway,
    routes: [],
    distributed: false,
    ha: attrs.ha,
    tags: [],
    created_at: ids.now,
    updated_at: ids.now,
    revision_number: 1,
  };
}
