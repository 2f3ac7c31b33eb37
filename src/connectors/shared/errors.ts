// The Remote* errors live with the ports (core/ports/errors.ts), where flows can see them; this re-export keeps
// connector code importing them from here working until every import names the new place.
export * from '../../core/ports/errors.ts';
