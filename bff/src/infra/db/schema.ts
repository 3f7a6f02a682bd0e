// Every Drizzle table, one re-export per feature. Migrations in bff/migrations are the source of truth
// for the database; test/schema-drift.int.test.ts checks these definitions against a migrated database.
export * from '../../features/accounts/tables';
export * from '../../features/devices/tables';
export * from '../../features/devices/gateway-tables';
export * from '../../features/meters/tables';
export * from '../../features/reports/tables';
export * from '../../platform/tables';
export * from '../../features/alarms/tables';
export * from '../../features/demo-import/tables';
export * from '../../features/calendar/tables';
export * from '../../features/products/tables';
export * from '../../features/oee/tables';
export * from '../../features/provincial/tables';
export * from '../../features/plants/tables';
