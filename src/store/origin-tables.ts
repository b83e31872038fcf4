/** The origins of `cors.allowedOrigins` in a workspace's settings, for CORS lookups. */
export interface AllowedOriginsTable {
  workspace_id: string;
  origin: string;
}
