/**
 * Kysely table types. Conventions on both dialects: ids are text (UUIDs), timestamps are integer
 * epoch milliseconds, booleans are integer 0/1, JSON is stored as text.
 */
export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  secrets: SecretsTable;
  jobs: JobsTable;
  rate_budgets: RateBudgetsTable;
  settings: SettingsTable;
  connections: ConnectionsTable;
  oauth_states: OauthStatesTable;
  leases: LeasesTable;
  wholesale_orders: WholesaleOrdersTable;
  amendments: AmendmentsTable;
  pos_catalog_items: PosCatalogItemsTable;
  pos_catalog_codes: PosCatalogCodesTable;
  item_links: ItemLinksTable;
  item_link_events: ItemLinkEventsTable;
  export_plans: ExportPlansTable;
  exports: ExportsTable;
  saga_steps: SagaStepsTable;
}

export interface OrganizationsTable {
  /** The organization is the tenant: its id is every other table's tenant_id. */
  id: string;
  name: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: number;
}

export interface SessionsTable {
  /** Hash of the cookie token: the token itself is never stored. */
  id: string;
  tenant_id: string;
  user_id: string;
  csrf_token: string;
  expires_at: number;
  created_at: number;
  /** Last request made with it (idle timeout); null on rows from before migration 0004 until next use. */
  last_seen_at: number | null;
}

export interface ApiTokensTable {
  id: string;
  tenant_id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface SecretsTable {
  id: string;
  tenant_id: string;
  purpose: string;
  key_id: string;
  /** Opaque to the store: whatever the vault produced (e.g. base64 of iv + tag + ciphertext). */
  ciphertext: string;
  created_at: number;
  updated_at: number;
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobsTable {
  id: string;
  tenant_id: string;
  task: string;
  key: string | null;
  payload: string;
  state: JobState;
  attempts: number;
  max_attempts: number;
  run_at: number;
  locked_by: string | null;
  locked_until: number | null;
  /** Changes at every claim, so a worker whose lock was taken over cannot touch the job. */
  lock_token: string | null;
  last_error: string | null;
  /** JSON array of {at, attempt, message}. */
  errors: string;
  result: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  /** The correlation id of the request or job that queued it (migration 0015); its run logs with it. */
  correlation_id: string | null;
}

export interface RateBudgetsTable {
  budget_key: string;
  tenant_id: string;
  state: string;
  updated_at: number;
}

export interface SettingsTable {
  tenant_id: string;
  key: string;
  value: string;
  updated_at: number;
}

/**
 * A connector manifest's `system` (`lightspeed-r`). Open on purpose: adding a connector is its folder and a line in
 * src/main.ts, with no list of systems to extend here.
 */
export type ConnectionSystem = string;
export type ConnectionStatus = 'linked' | 'needs_relink' | 'unlinked';

export interface ConnectionsTable {
  id: string;
  tenant_id: string;
  system: ConnectionSystem;
  name: string;
  status: ConnectionStatus;
  base_url: string;
  /**
   * NuORDER brand, X-Series domain prefix, R-Series account id, NetSuite account id. One row per (tenant,
   * system, account) (migration 0006): linking an account again revives its row, links and history.
   */
  external_account_id: string;
  /** The vault-sealed credentials (secrets.id). */
  secret_id: string | null;
  /** JSON: per-connection settings (sync mode, default location, …). */
  settings: string;
  catalog_cursor: string | null;
  last_sync_at: number | null;
  last_error: string | null;
  /** JSON: the last rate-limit figures seen (for the connection's health). */
  rate_headroom: string | null;
  created_at: number;
  updated_at: number;
}

export interface OauthStatesTable {
  id: string;
  tenant_id: string;
  system: ConnectionSystem;
  sealed_data: string;
  expires_at: number;
  created_at: number;
  /** Who started the flow: `session:<session id>` or `user:<user id>` (API token); only they may finish it. */
  bound_to: string | null;
}

export interface LeasesTable {
  lease_key: string;
  owner: string;
  expires_at: number;
}

export interface WholesaleOrdersTable {
  id: string;
  tenant_id: string;
  connection_id: string;
  source_id: string;
  order_number: string;
  status: string;
  brand_name: string;
  currency: string;
  ship_start: number | null;
  ship_end: number | null;
  total_minor: number;
  line_count: number;
  unit_count: number;
  content_hash: string;
  /** JSON: the normalised WholesaleOrder. */
  document: string;
  source_created_at: number | null;
  source_modified_at: number | null;
  ingested_at: number;
  updated_at: number;
}

export type AmendmentState = 'open' | 'accepted' | 'dismissed';

export interface AmendmentsTable {
  id: string;
  tenant_id: string;
  order_id: string;
  before_hash: string;
  after_hash: string;
  /** JSON: the changes from diffOrders(). */
  changes: string;
  state: AmendmentState;
  detected_at: number;
  /** Who accepted or dismissed it (a user id, or `automatic`), and when (0012). */
  decided_by: string | null;
  decided_at: number | null;
  /** applying | applied | refused | failed: what applying it to the POS PO did (0012). */
  apply_state: string | null;
  /** JSON: the amendment plan being applied (flows/amendments/plan.ts). */
  apply_plan: string | null;
  /** JSON: what the apply did, or why it stopped. */
  apply_result: string | null;
  apply_job_id: string | null;
  applied_at: number | null;
}

export interface PosCatalogItemsTable {
  connection_id: string;
  pos_item_id: string;
  tenant_id: string;
  parent_id: string | null;
  sku: string;
  name: string;
  /** Space-separated canonical GTIN-14s. */
  gtins: string;
  archived: number;
  version: string;
  updated_at: number;
}

export interface PosCatalogCodesTable {
  connection_id: string;
  tenant_id: string;
  gtin14: string;
  pos_item_id: string;
}

export interface ItemLinksTable {
  tenant_id: string;
  connection_id: string;
  variant_key: string;
  pos_item_id: string;
  /** export | buyer */
  source: string;
  created_at: number;
  updated_at: number;
  /** upc_match | created_by_export | chosen_by_person | followed_merge (core/item-links.ts); null before 0013. */
  origin: string | null;
}

/** The item-link ledger: one row per change of a link (core/item-links.ts LinkEvent). */
export interface ItemLinkEventsTable {
  tenant_id: string;
  connection_id: string;
  variant_key: string;
  seq: number;
  kind: string;
  at: number;
  by: string;
  pos_item_id: string | null;
  origin: string | null;
  previous_pos_item_id: string | null;
  previous_origin: string | null;
  evidence: string | null;
  undoes: number | null;
}

export type ExportPlanState = 'draft' | 'applying' | 'applied' | 'superseded';

export interface ExportPlansTable {
  id: string;
  tenant_id: string;
  connection_id: string;
  location_id: string;
  /** JSON array of wholesale order ids. */
  order_ids: string;
  state: ExportPlanState;
  /** JSON array of overrides. */
  overrides: string;
  /** JSON: the plan as planExport() returned it, evidence included. */
  plan: string;
  fingerprint: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export type ExportState = 'in_progress' | 'exported' | 'failed';

export interface ExportsTable {
  id: string;
  tenant_id: string;
  order_id: string;
  connection_id: string;
  plan_id: string;
  state: ExportState;
  job_id: string | null;
  po_id: string | null;
  po_number: string | null;
  po_url: string | null;
  failure_code: string | null;
  failure_message: string | null;
  failure_retryable: number | null;
  /** JSON: the export summary (counts, warnings, time taken). */
  summary: string | null;
  started_at: number;
  finished_at: number | null;
  updated_at: number;
  /** Waiting out a POS outage (migration 0005): since when, why, and the next try; null when not waiting. */
  waiting_since: number | null;
  waiting_reason: string | null;
  next_try_at: number | null;
  /**
   * Export once (migration 0006): unique per (tenant, pos_account, source_order), whichever connection row
   * exported it. `<system>:<external account id>` of the POS, `<system>:<source id>` of the order.
   */
  pos_account: string;
  source_order: string;
}

export type SagaStepState = 'running' | 'done' | 'failed';
/** @deprecated the export's steps are saga steps now (migration 0009); kept for the names callers use. */
export type ExportStepState = SagaStepState;

/** Every saga's recorded steps (migration 0009: the export's and the sales sync's, in one table). */
export interface SagaStepsTable {
  /** The plan id (export) or the sales sync id: the steps of one saga id share one key space. */
  saga_id: string;
  step_key: string;
  tenant_id: string;
  /** The family of sagas that recorded it: `export`, `sales`. */
  saga: string;
  /** The unit of the saga the step belongs to (an order of a plan), null for shared steps. */
  scope: string | null;
  state: SagaStepState;
  /** JSON: what the step created or found (remote ids). */
  result: string | null;
  error: string | null;
  position: number;
  attempts: number;
  started_at: number;
  finished_at: number | null;
}

// ---------------------------------------------------------------------------------------------
// Sales sync between NetSuite and X-Series (migration 0003). Declaration merging adds the tables to Database.

export interface Database {
  sales_rule_sets: SalesRuleSetsTable;
  sales_syncs: SalesSyncsTable;
  sales_cursors: SalesCursorsTable;
}

export type SalesRuleSetState = 'draft' | 'active' | 'retired';

export interface SalesRuleSetsTable {
  id: string;
  tenant_id: string;
  version: number;
  state: SalesRuleSetState;
  /** JSON: the validated RuleSetDocument (src/core/sales/rules.ts). */
  document: string;
  note: string | null;
  created_by: string | null;
  created_at: number;
  activated_at: number | null;
}

export type SalesSyncDirection = 'ns_to_x' | 'x_to_ns';
export type SalesSyncState = 'not_sent' | 'sending' | 'sent' | 'completing' | 'completed' | 'failed';

export interface SalesSyncsTable {
  id: string;
  tenant_id: string;
  direction: SalesSyncDirection;
  source_key: string;
  ns_connection_id: string;
  x_connection_id: string;
  ns_record_type: string | null;
  ns_id: string | null;
  ns_tran_id: string | null;
  x_sale_id: string | null;
  x_invoice_number: string | null;
  x_status: string | null;
  sent_as: string | null;
  rule_id: string | null;
  rule_set_version: number | null;
  state: SalesSyncState;
  reason: string | null;
  error_code: string | null;
  error_message: string | null;
  fulfilment_id: string | null;
  bill_id: string | null;
  bill_type: string | null;
  source_modified: string | null;
  created_at: number;
  updated_at: number;
}

export type SalesSyncStepState = SagaStepState;

export interface SalesCursorsTable {
  tenant_id: string;
  cursor_key: string;
  value: string;
  updated_at: number;
}

// ---------------------------------------------------------------------------------------------
// Sign-in throttling and the readiness probe (migration 0004). Not per tenant: an email or an address
// is throttled before anyone knows its organization, and the probe belongs to the store.

export interface Database {
  login_throttles: LoginThrottlesTable;
  store_probes: StoreProbesTable;
}

export interface LoginThrottlesTable {
  /** `account:<normalized email>` or `ip:<client address>`. */
  throttle_key: string;
  failures: number;
  window_started_at: number;
  locked_until: number | null;
  updated_at: number;
}

export interface StoreProbesTable {
  name: string;
  written_at: number;
}

// ---------------------------------------------------------------------------------------------
// Merchant-grade product data (migration 0007): pricing policies, brand and location mappings, field
// ownership. `pos_catalog_items.retail` is declared on PosCatalogItemsTable below by merging.

export interface Database {
  pricing_policies: PricingPoliciesTable;
  brand_suppliers: BrandSuppliersTable;
  location_mappings: LocationMappingsTable;
  item_ownership: ItemOwnershipTable;
}

export interface PricingPoliciesTable {
  connection_id: string;
  version: number;
  tenant_id: string;
  /** JSON: the validated PricingPolicy (src/core/pricing-policy.ts). */
  document: string;
  created_by: string | null;
  created_at: number;
}

export interface BrandSuppliersTable {
  connection_id: string;
  /** BrandRef.sourceId. */
  brand_source_id: string;
  tenant_id: string;
  brand_name: string;
  supplier_id: string;
  supplier_name: string;
  updated_at: number;
}

export interface LocationMappingsTable {
  connection_id: string;
  /** The normalised ship-to address (flows/mappings.ts `addressKey`). */
  address_key: string;
  tenant_id: string;
  /** JSON: the PostalAddress as first seen. */
  address: string;
  location_id: string;
  updated_at: number;
}

export interface ItemOwnershipTable {
  connection_id: string;
  pos_item_id: string;
  tenant_id: string;
  variant_key: string;
  /** JSON: what Tradeloop wrote from the brand's data ({retail, name, images}). */
  written: string;
  created_at: number;
  updated_at: number;
}

export interface PosCatalogItemsTable {
  /** The POS's retail price, decimal text as the POS keeps it; null when unknown. */
  retail: string | null;
}

// ---------------------------------------------------------------------------------------------
// Receiving and the discrepancy audit (migration 0011).

export interface Database {
  receipts: ReceiptsTable;
  order_audits: OrderAuditsTable;
}

export type ReceiptState = 'queued' | 'committing' | 'committed' | 'failed';

export interface ReceiptsTable {
  id: string;
  tenant_id: string;
  order_id: string;
  export_id: string;
  connection_id: string;
  po_id: string;
  po_number: string;
  state: ReceiptState;
  /** JSON: [{posItemId, label, quantity}]. */
  lines: string;
  units: number;
  /** JSON: the flagged scans staff saw when committing. */
  flags: string;
  /** JSON: [{posItemId, received}], the running totals written. */
  totals: string | null;
  remainder_po_id: string | null;
  remainder_po_number: string | null;
  stock_on_commit: number | null;
  error: string | null;
  created_by: string | null;
  created_at: number;
  committed_at: number | null;
}

export interface OrderAuditsTable {
  tenant_id: string;
  order_id: string;
  fingerprint: string;
  issues: number;
  flagged: number;
  checked_at: number;
}

// ---------------------------------------------------------------------------------------------
// Order status after export (migration 0010): the source's status and shipments of exported orders, with history.

export interface Database {
  order_fulfilment: OrderFulfilmentTable;
  order_shipments: OrderShipmentsTable;
  order_fulfilment_events: OrderFulfilmentEventsTable;
}

export interface OrderFulfilmentTable {
  order_id: string;
  tenant_id: string;
  /** The wholesale connection the order came from. */
  connection_id: string;
  /** The source's status now (core WholesaleOrderStatus). */
  source_status: string;
  /** 1 once shipped in full or cancelled: no longer re-read. */
  complete: number;
  shipped_units: number;
  /** Hash of the shipment facts as stored: a change is told to the POS PO once. */
  facts_hash: string;
  refreshed_at: number;
  changed_at: number;
}

export interface OrderShipmentsTable {
  order_id: string;
  /** The source's shipment id, else a hash of the shipment. */
  shipment_key: string;
  tenant_id: string;
  source_id: string | null;
  position: number;
  carrier: string | null;
  /** JSON: string[]. */
  tracking_numbers: string;
  /** As the source sent it. */
  shipped_on: string | null;
  /** JSON: [{lineKey, quantity}]. */
  lines: string;
  units: number;
  first_seen_at: number;
  updated_at: number;
}

export interface OrderFulfilmentEventsTable {
  id: string;
  tenant_id: string;
  order_id: string;
  /** status_changed | shipment_added | shipment_changed | shipment_removed */
  kind: string;
  /** JSON. */
  detail: string;
  at: number;
  /** The order of the changes one read found (they share `at`). */
  seq: number;
}

// ---------------------------------------------------------------------------------------------
// Reorders started in the POS back office (migration 0016): a POS PO paired with the wholesale order sent for it.

export interface Database {
  pos_reorders: PosReordersTable;
  pos_po_feed_cursors: PosPoFeedCursorsTable;
}

export type PosReorderState = 'sending' | 'sent' | 'nothing_mapped' | 'failed';

export interface PosReordersTable {
  id: string;
  tenant_id: string;
  /** The POS connection the PO is in. */
  connection_id: string;
  pos_po_id: string;
  pos_po_number: string;
  pos_po_url: string | null;
  location_id: string | null;
  supplier_id: string;
  /** The brand's NuORDER connection the order is sent through. */
  brand_connection_id: string;
  brand_name: string;
  state: PosReorderState;
  /** The wholesale order number Tradeloop chose (the retry key at the source). */
  order_number: string;
  source_order_id: string | null;
  /** Where the tag went on the PO (`reference`, `name`). */
  tag_field: string | null;
  /** JSON: the lines sent. */
  lines: string;
  /** JSON: the PO lines without an item link. */
  unmapped: string;
  error: string | null;
  /** The wholesale order once the approved order came in, and the export row that names the PO. */
  order_id: string | null;
  export_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface PosPoFeedCursorsTable {
  connection_id: string;
  tenant_id: string;
  cursor: string | null;
  updated_at: number;
}
