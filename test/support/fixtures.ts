import { contract } from '../../shared/contract';
import type { PrescriberProfileInput } from '../../shared/domain/profile';

/** A valid prescriber profile (the contract's own example). */
export const validProfile: PrescriberProfileInput = { ...contract['profile.save'].example };
