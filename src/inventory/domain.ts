/** Stock as the API shows it. */
import type { LevelRow, MovementRow } from './repository.js';
import type { MovementKind } from '../db/schema.js';

export interface StockLevel {
  skuId: string;
  warehouseId: string;
  onHand: number;
  allocated: number;
  available: number;
  updatedAt: string;
}

export interface Movement {
  id: string;
  skuId: string;
  warehouseId: string;
  kind: MovementKind;
  quantity: number;
  reason: string | null;
  sourceType: string | null;
  sourceId: string | null;
  createdAt: string;
}

export const levelFromRow = (r: LevelRow): StockLevel => ({
  skuId: r.sku_id,
  warehouseId: r.warehouse_id,
  onHand: r.on_hand,
  allocated: r.allocated,
  available: r.on_hand - r.allocated,
  updatedAt: r.updated_at,
});

export const movementFromRow = (r: MovementRow): Movement => ({
  id: r.id,
  skuId: r.sku_id,
  warehouseId: r.warehouse_id,
  kind: r.kind,
  quantity: r.quantity,
  reason: r.reason,
  sourceType: r.source_type,
  sourceId: r.source_id,
  createdAt: r.created_at,
});
