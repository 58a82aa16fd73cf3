import { describe, expect, it } from 'vitest';
import { syntheticPatients } from '../../electron/patients/synthetic';
import { checkNir, nirWarnings } from '../../shared/domain/nir';
import { errorsOnDay, patientInputSchema } from '../../shared/domain/patient';

describe('synthetic patients', () => {
  const patients = [...syntheticPatients(2000, 11)];

  it('are the same for the same seed, different for another', () => {
    expect([...syntheticPatients(50, 11)]).toEqual(patients.slice(0, 50));
    expect([...syntheticPatients(50, 12)]).not.toEqual(patients.slice(0, 50));
  });

  it('are valid records, as the form and the import would accept them', () => {
    for (const p of patients) {
      expect(patientInputSchema.parse(p)).toEqual(p);
      expect(errorsOnDay(p, '2026-01-01')).toEqual({});
    }
  });

  it('carry unique NIRs with a correct key that agree with sex and date of birth', () => {
    const nirs = patients.flatMap((p) => (p.nir === null ? [] : [p]));
    expect(nirs.length).toBeGreaterThan(1500);
    expect(new Set(nirs.map((p) => p.nir)).size).toBe(nirs.length);
    for (const p of nirs) {
      expect(checkNir(p.nir!)).toEqual({ valid: true });
      expect(nirWarnings(p.nir!, p)).toEqual([]);
    }
    expect(nirs.some((p) => p.nir!.slice(5, 7) === '2A')).toBe(true);
  });

  it('look French: accents, compound and particle names, used names', () => {
    const names = patients.map((p) => `${p.birthName} ${p.usedName} ${p.firstNames}`).join('\n');
    expect(names).toMatch(/[éèêëïîôœç]/i);
    expect(names).toMatch(/Le Goff|Le Gall|Da Silva/);
    expect(names).toMatch(/-/);
    expect(patients.some((p) => p.usedName !== '')).toBe(true);
  });
});
