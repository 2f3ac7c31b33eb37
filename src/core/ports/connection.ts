/**
 * What a connector is built from and what it tells the rest: the manifest every connector folder exports from its
 * `index.ts`, and the dependencies the composition root (src/main.ts) hands it to open a linked account. Flows see
 * connectors only through the registry made from these manifests (flows/port-registry.ts); adding a system is one
 * folder and one line in main.ts.
 */
import type { ErpSalesOrders } from './erp-sales-orders.ts';
import type { PointOfSale, PosCapabilities } from './pos.ts';
import type { PurchaseOrderChanges } from './po-changes.ts';
import type { PurchaseOrderFeed } from './po-feed.ts';
import type { PurchaseOrderReceiving } from './po-receiving.ts';
import type { PosSales } from './pos-sales.ts';
import type { PurchaseOrderShipmentFacts } from './po-shipment-facts.ts';
import type { PoChangeRules } from '../po-change-rules.ts';
import type { PosShapeLimits } from '../variant-shape.ts';
import type { WholesaleSource } from './wholesale-source.ts';
import type { WholesaleOrderCreation } from './wholesale-orders-out.ts';

export interface OAuth2Tokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms. */
  expiresAt: number;
  tokenType?: string;
  scope?: string;
  /** Other fields of the token response (e.g. X-Series `domain_prefix`). */
  extra?: Record<string, unknown>;
}

/** A connection's OAuth 2 tokens, refreshed under a lock every process shares (a rotating refresh token is spent once). */
export interface TokenStore {
  read(connectionId: string): Promise<OAuth2Tokens | null>;
  /** Runs `fn` while holding the connection's lock, across every process that shares the store. */
  withLock<T>(connectionId: string, fn: () => Promise<T>): Promise<T>;
  write(connectionId: string, tokens: OAuth2Tokens): Promise<void>;
}

/** A rate governor's budget per remote account, shared by every process; the state is the governor's own JSON. */
export interface BudgetStore<S> {
  load(key: string): Promise<S | null>;
  save(key: string, state: S): Promise<void>;
  /**
   * Reads and rewrites one budget atomically across every process (a reservation taken here is seen by the
   * next one, wherever it runs). `change` returns the new state (undefined: leave it) and a result.
   */
  update?<T>(key: string, change: (state: S | null) => { state: S | undefined; result: T }): Promise<T>;
}

/** What a connection's sealed secret holds, by kind of auth. */
export type ConnectionCredentials =
  | { kind: 'oauth1'; consumerKey: string; consumerSecret: string; token: string; tokenSecret: string }
  | { kind: 'oauth2'; tokens: OAuth2Tokens }
  | { kind: 'tba'; consumerKey: string; consumerSecret: string; tokenId: string; tokenSecret: string };

/** A stored, linked account as a connector sees it (the store's Connection fits it). */
export interface LinkedAccount {
  id: string;
  tenantId: string;
  system: string;
  name: string;
  baseUrl: string;
  externalAccountId: string;
  settings: Record<string, unknown>;
}

/** Where a system is and the app Tradeloop is registered as there: from the configuration only. */
export interface ProviderSettings {
  baseUrl: string | null;
  clientId: string | null;
  clientSecret: string | null;
}

/** What the composition root gives a connector to open one linked account. */
export interface ConnectorDeps {
  provider: ProviderSettings;
  /** The account's credentials, opened from the vault (bound to the connection). */
  credentials(): Promise<ConnectionCredentials>;
  tokens: TokenStore;
  budgets: BudgetStore<any>;
  logger: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
}

/** The ports a connector can open, by name; a connector offers those of its kind. */
export interface ConnectorPorts {
  pointOfSale: PointOfSale;
  wholesaleSource: WholesaleSource;
  posSales: PosSales;
  erpSalesOrders: ErpSalesOrders;
  purchaseOrderShipmentFacts: PurchaseOrderShipmentFacts;
  /** A POS's changes to a PO the export made (accepted amendments). */
  purchaseOrderChanges: PurchaseOrderChanges;
  purchaseOrderReceiving: PurchaseOrderReceiving;
  /** Sending a reorder to the wholesale platform (NuORDER `PUT /api/order/new` [I]). */
  wholesaleOrderCreation: WholesaleOrderCreation;
  /** The POS's purchase orders changed since a cursor, and a tag on one (reorders started in the POS back office). */
  purchaseOrderFeed: PurchaseOrderFeed;
}

export type PortOpeners = {
  [K in keyof ConnectorPorts]?: (deps: ConnectorDeps, account: LinkedAccount) => Promise<ConnectorPorts[K]>;
};

/** Linking a POS with OAuth 2 (authorization code): the consent page, then the callback's code. */
export interface OAuth2Link {
  kind: 'oauth2';
  authorizeUrl(
    provider: ProviderSettings & { clientId: string },
    input: { redirectUri: string; state: string },
  ): string;
  complete(
    provider: ProviderSettings & { clientId: string },
    callback: Readonly<Record<string, string | undefined>>,
    input: { redirectUri: string; logger: ConnectorDeps['logger'] },
  ): Promise<LinkedAccountDraft>;
}

/**
 * Linking with OAuth 1.0a where the remote approves out of band (NuORDER: an admin approves the application, the
 * verifier is POSTed back or pasted): a request token, then the verifier exchanged for the access token.
 */
export interface OAuth1Link {
  kind: 'oauth1';
  requestToken(input: {
    baseUrl: string;
    consumerKey: string;
    consumerSecret: string;
    applicationName: string;
    callback: string;
    logger: ConnectorDeps['logger'];
  }): Promise<{ token: string; tokenSecret: string }>;
  accessToken(input: {
    baseUrl: string;
    consumerKey: string;
    consumerSecret: string;
    requestToken: string;
    requestTokenSecret: string;
    verifier: string;
    logger: ConnectorDeps['logger'];
  }): Promise<{ consumerKey: string; consumerSecret: string; token: string; tokenSecret: string }>;
}

/** A system's Token-Based Authentication credentials (NetSuite TBA), as a person types them in. */
export type TbaCredentials = Extract<ConnectionCredentials, { kind: 'tba' }>;

/**
 * Linking with credentials a person made in the remote system and types in (NetSuite TBA): nothing to redirect to,
 * one read checks them. Where the account is comes from the configuration or the account id, never from input.
 */
export interface TbaLink {
  kind: 'tba';
  /** The account id as the system spells it, or null when the input cannot be one. */
  accountId(input: string): string | null;
  /** Where the account is: the configured host (a simulator), else the account's own. */
  baseUrl(provider: ProviderSettings, accountId: string): string;
  /** One cheap read with these credentials (no retries); throws what the remote said when it refuses them. */
  verify(input: {
    provider: ProviderSettings;
    accountId: string;
    credentials: TbaCredentials;
    logger: ConnectorDeps['logger'];
  }): Promise<void>;
}

/** What a completed link stores: the account, where it is, and its credentials. */
export interface LinkedAccountDraft {
  accountId: string;
  name: string;
  baseUrl: string;
  settings: Record<string, unknown>;
  credentials: ConnectionCredentials;
}

export type ConnectorKind = 'pos' | 'wholesale' | 'erp';

export interface ConnectorManifest {
  /** The system name stored on its connections (`lightspeed-r`). */
  readonly system: string;
  readonly kind: ConnectorKind;
  /** What a person reads (`Lightspeed Retail (R-Series)`). */
  readonly label: string;
  /** The label where systems sit side by side, on a badge or a button (`R-Series`); default: the label. */
  readonly shortLabel?: string;
  /** A POS's word for whom its purchase orders are placed with (R-Series `vendor`); default `supplier`. */
  readonly supplierWord?: string;
  /**
   * A POS that does not say its account currency (R-Series): each connection carries one a person sets (the
   * `currency` setting; USD until set). Absent: the POS says its own, and no connection takes one.
   */
  readonly currencyIsSetting?: boolean;
  /** What the merchant calls the POS's own app, where they do what Tradeloop cannot (`Retail POS`); default `the POS`. */
  readonly appName?: string;
  /**
   * A POS where a person can merge two items into one (R-Series, in its app, with no API): duplicate advice offers
   * the merge directions and merges made there are followed. Absent: the POS has no merge; a duplicate is relinked.
   */
  readonly itemMerge?: { readonly permanent: boolean };
  /** How its purchase orders take changes after the export, per stage (amendments); absent: none is known. */
  readonly poChanges?: PoChangeRules;
  /**
   * Where a person sees this account's purchase orders listed, when the connector knows one (a simulator's back
   * office in the demo); null: nowhere to link to.
   */
  readonly purchaseOrdersPage?: (account: Pick<LinkedAccount, 'baseUrl'>) => string | null;
  /** The configuration key of its provider settings (`lightspeedR`); none: no settings. */
  readonly configKey?: string;
  /** A POS's capabilities, known without opening a connection (plans and progress read them). */
  readonly capabilities?: Omit<PosCapabilities, 'system'> & { shapeLimits?: PosShapeLimits };
  /** A new connection's PO sync mode, as the vendor's own integration behaves (default manual). */
  readonly defaultSyncMode?: 'automatic' | 'manual';
  /** How a person links an account; absent when linking has its own flow. */
  readonly link?: OAuth2Link | OAuth1Link | TbaLink;
  /** What a connection's connector is rebuilt for when it changes (settings it reads); default: none. */
  readonly settingsRead?: readonly string[];
  readonly open: PortOpeners;
}
