/**
 * The known defects of the official X-Series "API 2.0" OpenAPI document (test/contracts/specs/), in ONE place, each
 * with its reason. Every test that validates against the document (the connector's request bodies, closed, in
 * lightspeed-x-requests.test.ts; the simulator's replies in src/simulators/lightspeed-x/openapi*.test.ts) loads it
 * through support/x-openapi.ts, which applies these patches and nothing else. A defect is listed only with a source
 * that contradicts the document or a gap it leaves; our own choices where sources conflict say so.
 */

/** The parts of an OpenAPI document the patches touch. */
export type OpenApi = {
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, any> };
  [key: string]: unknown;
};

export interface SpecDefect {
  id: string;
  /** The spec's place, as `METHOD /path` or `#/components/schemas/Name`. */
  where: string;
  /** What is wrong and what we do; sources as in shared/reference/lightspeed-x-series.md. */
  reason: string;
  affects: 'requests' | 'responses';
  patch(spec: OpenApi): void;
}

const json = 'application/json';

/**
 * The 2.1 product bodies (`common` family-wide, `details` this variant), from the official Postman collection's
 * "API 2.1 / Products / Create a single variant" and "Update a product" bodies (every key they show), plus
 * `all_outlets_tax` and `composite_components` from the 2026-07 `ProductUpdate21Request` (reference §2.3).
 */
const product21 = (withFamilyRef: boolean): Record<string, unknown> => ({
  type: 'object',
  properties: {
    common: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        description: { type: 'string' },
        brand_id: { type: 'string' },
        product_category_id: { type: 'string' },
        tag_ids: { type: 'array', items: { type: 'string' } },
        product_suppliers: { type: 'array', items: { $ref: '#/components/schemas/ProductSupplier' } },
        track_inventory: { type: 'boolean' },
        variant_attributes: { type: 'array', items: { type: 'string' } },
        account_code_sale: { type: 'string' },
        account_code_purchase: { type: 'string' },
        ...(withFamilyRef ? { variant_parent_id: { type: 'string', format: 'uuid' } } : {}),
      },
    },
    details: {
      type: 'object',
      properties: {
        is_active: { type: 'boolean' },
        product_codes: { type: 'array', items: { $ref: '#/components/schemas/ProductCode' } },
        loyalty_amount: { type: 'number' },
        price_excluding_tax: { type: 'number' },
        price_including_tax: { type: 'number' },
        all_outlet_tax: { type: 'object', properties: { tax_id: { type: 'string' }, is_default: { type: 'boolean' } } },
        all_outlets_tax: {
          type: 'object',
          properties: { tax_id: { type: 'string' }, is_default: { type: 'boolean' } },
        },
        outlet_taxes: {
          type: 'array',
          items: {
            type: 'object',
            properties: { outlet_id: { type: 'string' }, tax_id: { type: 'string' }, is_default: { type: 'boolean' } },
          },
        },
        product_suppliers: { type: 'array', items: { $ref: '#/components/schemas/ProductSupplier' } },
        variant_attribute_values: {
          type: 'array',
          items: {
            type: 'object',
            properties: { attribute_id: { type: 'string' }, attribute_value: { type: 'string' } },
          },
        },
        inventory: { type: 'array', items: { $ref: '#/components/schemas/ProductAddInventoryPayload' } },
        composite_components: { type: 'array', items: { type: 'object', additionalProperties: true } },
        weight_unit: { type: 'string' },
        weight: { type: 'number' },
        dimension_unit: { type: 'string' },
        width: { type: 'number' },
        height: { type: 'number' },
        length: { type: 'number' },
        packaging: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              destination_product_id: { type: 'string' },
              source_product_id: { type: 'string' },
              amount: { type: 'number' },
            },
          },
        },
      },
    },
  },
});

export const specDefects: SpecDefect[] = [
  {
    id: 'inventory-count-item-deleted-at',
    where: '#/components/schemas/InventoryCountItem',
    reason:
      'POST /consignments/{id}/products answers InventoryCountItem, whose `deleted_at` is a required non-null string; ' +
      'a live line has `deleted_at: null` (every other 2.0 record makes it nullable). Made nullable.',
    affects: 'responses',
    patch: (spec) => {
      spec.components.schemas.InventoryCountItem.properties.deleted_at.nullable = true;
    },
  },
  {
    id: 'product-create-reply-ids',
    where: 'POST /products 200',
    reason:
      'The reply schema says `data.items: {type: object}`, but its own description and example are product id ' +
      'strings (reference §2.2: `{"data": ["<id>"]}`). Made uuid strings.',
    affects: 'responses',
    patch: (spec) => {
      spec.paths['/products']!.post.responses['200'].content[json].schema.properties.data.items = {
        type: 'string',
        format: 'uuid',
      };
    },
  },
  {
    id: 'search-items',
    where: '#/components/schemas/SearchResponse',
    reason:
      'The items are typed as an empty object, while the description says they are "objects of one of the supported ' +
      'types: sales, products or customers" (the `type` parameter picks which). Typed as a Product or a Sale, so ' +
      'replies are checked and fixtures get the real fields.',
    affects: 'responses',
    patch: (spec) => {
      spec.components.schemas.SearchResponse.properties.data.items = {
        anyOf: [{ $ref: '#/components/schemas/Product' }, { $ref: '#/components/schemas/Sale' }],
      };
    },
  },
  {
    id: 'consignment-request-envelope',
    where: 'POST /consignments, PUT /consignments/{consignment_id}',
    reason:
      'The spec wraps the body in `{"data": Consignment}` (ConsignmentRequest); the official tutorial, the official ' +
      'Postman collection and the MCP client send the consignment bare (reference §3.5). We send it bare, so the ' +
      'body is validated as a Consignment.',
    affects: 'requests',
    patch: (spec) => {
      for (const [path, method] of [
        ['/consignments', 'post'],
        ['/consignments/{consignment_id}', 'put'],
      ] as const)
        spec.paths[path]![method].requestBody.content[json].schema = { $ref: '#/components/schemas/Consignment' };
    },
  },
  {
    id: 'consignment-update-required',
    where: 'PUT /consignments/{consignment_id}',
    reason:
      'The update reuses the create schema, so `name`, `outlet_id` and `type` are required on every update, although ' +
      'the type cannot change (§3.2) and a status change names only the status. We send `{status}` (§3.6, [I]: no ' +
      'source shows a partial update answered), so the update is validated without the create-only `required`.',
    affects: 'requests',
    patch: (spec) => {
      spec.components.schemas.ConsignmentUpdate = { ...spec.components.schemas.Consignment, required: [] };
      spec.paths['/consignments/{consignment_id}']!.put.requestBody.content[json].schema = {
        $ref: '#/components/schemas/ConsignmentUpdate',
      };
    },
  },
  {
    id: 'consignment-product-quantities',
    where: '#/components/schemas/ConsignmentProduct (request bodies)',
    reason:
      '`count`, `received` and `cost` are typed string (the decimal strings replies carry), but the official Postman ' +
      'bulk body sends numbers (`"count": 15`) and the reference says "send strings or numbers" (§3.4). Requests may ' +
      'send either.',
    affects: 'requests',
    patch: (spec) => {
      const line = structuredClone(spec.components.schemas.ConsignmentProduct);
      for (const key of ['count', 'received', 'cost'])
        line.properties[key] = { type: key === 'received' ? ['string', 'number'] : ['string', 'number', 'null'] };
      spec.components.schemas.ConsignmentProductInput = line;
      spec.paths['/consignments/{consignment_id}/bulk']!.post.requestBody.content[json].schema = {
        type: 'array',
        items: { $ref: '#/components/schemas/ConsignmentProductInput' },
      };
    },
  },
  {
    id: 'api-2.1-products',
    where: 'POST /api/2.1/products, PUT /api/2.1/products/{id} (not in the 2.0 document)',
    reason:
      'The 2.0 document has no 2.1 paths. Their bodies are validated against the keys of the official Postman 2.1 ' +
      'bodies (no `sku`, `supply_price` or `source_variant_id` in `details`: divergence F10). One addition, ours: ' +
      "Add Single Variant's `common.variant_parent_id`, because how that call names its family is undocumented " +
      '(§9.3 [I]; the Postman example sends only `common.name`), and the connector uses the call only when enabled.',
    affects: 'requests',
    patch: (spec) => {
      spec.components.schemas.Product21AddRequest = product21(true);
      spec.components.schemas.Product21UpdateRequest = product21(false);
    },
  },
  {
    id: 'api-2026-07-sales',
    where: 'POST /api/2026-07/sales (not in the 2.0 document)',
    reason:
      'Sales are created through the date-versioned API (reference §5.3), which the 2.0 document does not cover. Its ' +
      'body is checked, closed, against the 2026-07 `SaleRequest` shape in recorded-shapes/lightspeed-x-2026-07-' +
      'sales.json (requestShape) instead.',
    affects: 'requests',
    patch: () => {},
  },
];
