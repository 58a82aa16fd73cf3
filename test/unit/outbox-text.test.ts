/** The French the Envois screen and the patient's list say for an outbox row (renderer/i18n/outbox.ts). */
import { describe, expect, it } from 'vitest';
import { outboxStates, type OutboxItem } from '../../shared/calls/outbox';
import { formatDateTime, formatTime } from '../../renderer/i18n/dates';
import { dmpShortText, outboxFr, outboxStateText, skippedReason } from '../../renderer/i18n/outbox';

const item = (patch: Partial<OutboxItem>): OutboxItem => ({
  id: 1,
  prescriptionId: 1,
  rxId: 'RX-1',
  patient: { id: 1, name: 'Camille TEST' },
  destination: 'dmp',
  action: 'submit',
  state: 'pending',
  reason: null,
  attempts: 0,
  nextAttemptAt: null,
  signedAt: '2026-12-03T08:00:00.000Z',
  updatedAt: '2026-12-03T08:00:00.000Z',
  sentAt: null,
  ...patch,
});

// 14:05 in the time zone the tests run in, whatever it is.
const at1405 = new Date(2026, 11, 3, 14, 5).toISOString();

describe('an outbox row’s state, in French', () => {
  it('says waiting and sending', () => {
    expect(outboxStateText(item({ state: 'pending' }))).toBe('en attente');
    expect(outboxStateText(item({ state: 'sending' }))).toBe('en cours');
  });

  it('says when it was sent', () => {
    const sentAt = '2026-12-03T09:30:00.000Z';
    expect(outboxStateText(item({ state: 'sent', sentAt }))).toBe(`envoyé le ${formatDateTime(sentAt)}`);
    expect(outboxStateText(item({ state: 'sent', sentAt }))).toMatch(/^envoyé le 3 décembre 2026 à \d{2}:\d{2}$/);
    expect(outboxStateText(item({ state: 'sent', sentAt: null }))).toBe('envoyé');
  });

  it('says when a failed one is tried again, and why it failed', () => {
    expect(formatTime(at1405)).toBe('14:05');
    expect(outboxStateText(item({ state: 'failed', nextAttemptAt: at1405, reason: 'Le DMP a répondu HTTP 500.' }))).toBe('échec — nouvel essai à 14:05 ; motif : Le DMP a répondu HTTP 500.');
    expect(outboxStateText(item({ state: 'failed', nextAttemptAt: at1405 }))).toBe('échec — nouvel essai à 14:05');
    expect(outboxStateText(item({ state: 'failed', nextAttemptAt: null, reason: 'délai dépassé' }))).toBe('échec — nouvel essai à la prochaine synchronisation ; motif : délai dépassé');
    expect(outboxStateText(item({ state: 'failed' }))).toBe('échec — nouvel essai à la prochaine synchronisation');
  });

  it('gives the reason of a refusal and of a disabled destination', () => {
    expect(outboxStateText(item({ state: 'dead', reason: 'INS inconnu du DMP' }))).toBe('refusé : INS inconnu du DMP');
    expect(outboxStateText(item({ state: 'dead' }))).toBe('refusé');
    expect(outboxStateText(item({ state: 'disabled', destination: 'cnam', reason: 'protocole non publié' }))).toBe('désactivé : protocole non publié');
  });

  it('says « non envoyé » once, whether or not the reason starts with it', () => {
    expect(outboxStateText(item({ state: 'skipped', reason: 'non envoyé — opposition du patient' }))).toBe('non envoyé — opposition du patient');
    expect(outboxStateText(item({ state: 'skipped', reason: 'opposition du patient' }))).toBe('non envoyé — opposition du patient');
    expect(outboxStateText(item({ state: 'skipped', reason: null }))).toBe('non envoyé');
    expect(skippedReason('Non envoyé - identité non vérifiée')).toBe('identité non vérifiée');
  });

  it('has a text for every state, and a label for every counter', () => {
    for (const state of outboxStates) {
      expect(outboxStateText(item({ state, reason: 'x' })).length).toBeGreaterThan(0);
      expect(outboxFr.states[state].length).toBeGreaterThan(0);
    }
  });
});

describe('the DMP state on the patient’s list', () => {
  it('is short', () => {
    expect(dmpShortText({ action: 'submit', state: 'sent', reason: null })).toBe('DMP : envoyé');
    expect(dmpShortText({ action: 'submit', state: 'pending', reason: null })).toBe('DMP : en attente');
    expect(dmpShortText({ action: 'submit', state: 'failed', reason: 'HTTP 500' })).toBe('DMP : échec, nouvel essai prévu');
    expect(dmpShortText({ action: 'submit', state: 'dead', reason: 'INS inconnu' })).toBe('DMP : refusé');
    expect(dmpShortText({ action: 'submit', state: 'skipped', reason: 'non envoyé — opposition du patient' })).toBe('DMP : non envoyé (opposition du patient)');
    expect(dmpShortText({ action: 'cancel', state: 'sent', reason: null })).toBe('DMP : retiré');
    expect(dmpShortText({ action: 'cancel', state: 'pending', reason: null })).toBe('DMP : retrait en attente');
  });

  it('names the badge for screen readers', () => {
    expect(outboxFr.badge(1)).toBe('Envois, 1 document à traiter');
    expect(outboxFr.badge(3)).toBe('Envois, 3 documents à traiter');
  });
});
