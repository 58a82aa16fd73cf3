/** What other folders of electron/ may use of the outbox. */
export { outboxServices } from './calls';
export { createOutboxService, isOutboxJob, type OutboxService } from './service';
export { drainOutbox, type DrainSummary } from './drain';
