import type { PrescriberProfile } from '../../shared/domain/profile';
import type { Db } from '../db/types';

interface ProfileRow {
  last_name: string;
  first_name: string;
  specialty: string;
  rpps: string;
  am_number: string;
  practice_name: string;
  address: string;
  postal_code: string;
  city: string;
  phone: string;
  email: string;
}

const fromRow = (r: ProfileRow): PrescriberProfile => ({
  lastName: r.last_name,
  firstName: r.first_name,
  specialty: r.specialty,
  rpps: r.rpps,
  amNumber: r.am_number,
  practiceName: r.practice_name,
  address: r.address,
  postalCode: r.postal_code,
  city: r.city,
  phone: r.phone,
  email: r.email,
});

export function readProfile(db: Db): PrescriberProfile | null {
  const row = db.prepare('SELECT * FROM prescriber_profile WHERE id = 1').get() as ProfileRow | undefined;
  return row === undefined ? null : fromRow(row);
}

export function writeProfile(db: Db, p: PrescriberProfile, now: Date): void {
  db.prepare(
    `INSERT INTO prescriber_profile
       (id, last_name, first_name, specialty, rpps, am_number, practice_name, address, postal_code, city, phone, email, updated_at)
     VALUES (1, @lastName, @firstName, @specialty, @rpps, @amNumber, @practiceName, @address, @postalCode, @city, @phone, @email, @updatedAt)
     ON CONFLICT (id) DO UPDATE SET
       last_name = excluded.last_name, first_name = excluded.first_name, specialty = excluded.specialty,
       rpps = excluded.rpps, am_number = excluded.am_number, practice_name = excluded.practice_name,
       address = excluded.address, postal_code = excluded.postal_code, city = excluded.city,
       phone = excluded.phone, email = excluded.email, updated_at = excluded.updated_at`,
  ).run({ ...p, updatedAt: now.toISOString() });
}
