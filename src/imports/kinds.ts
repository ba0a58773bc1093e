/** Every kind `raincheck import` takes, by name. */
import { customerDef, skuDef, supplierDef, warehouseDef } from '../catalog/entities.js';
import { customerDefaults, customerFields, skuFields, supplierFields, warehouseFields } from '../catalog/routes.js';
import { catalogKind } from './catalog-kinds.js';
import { stockKind } from './stock-kind.js';
import { supplierItemKind } from './supplier-item-kind.js';
import { purchaseOrderKind } from './purchase-order-kind.js';
import { orderHistoryKind } from './order-history-kind.js';

export const importKinds = {
  skus: catalogKind(skuDef, skuFields, {}, { name: 'string', unitCostMinor: 'number', backorderPolicy: 'string', backorderCap: 'number', backorderHorizonDays: 'number' }),
  warehouses: catalogKind(warehouseDef, warehouseFields, {}, { name: 'string', regions: 'list', priority: 'number' }),
  customers: catalogKind(customerDef, customerFields, customerDefaults, { name: 'string', email: 'string', region: 'string', tier: 'number', acceptsPartial: 'boolean', language: 'string' }),
  suppliers: catalogKind(supplierDef, supplierFields, {}, { name: 'string', defaultLeadTimeDays: 'number' }),
  'supplier-items': supplierItemKind,
  stock: stockKind,
  'purchase-orders': purchaseOrderKind,
  orders: orderHistoryKind,
} as const;

export type ImportKindName = keyof typeof importKinds;
