import { z } from 'zod';

/**
 * The special categories of personal data (GDPR art. 9) a shop most often holds as
 * traits, plus precise location (art. 9 does not name it, but it reveals where someone
 * lives, prays or is treated).
 */
export const SensitiveCategory = z.enum([
  'health',
  'religion',
  'ethnicity',
  'sexualOrientation',
  'politicalOpinion',
  'preciseLocation',
]);
export type SensitiveCategory = z.infer<typeof SensitiveCategory>;

export const SENSITIVE_CATEGORIES: readonly SensitiveCategory[] = SensitiveCategory.options;

/**
 * The trait names each built-in category covers. `a.*` is `a` and everything under it.
 * Names compare without case, `_` and `-` (`sexual_orientation` is `sexualOrientation`),
 * so one spelling here covers the usual variants.
 */
export const CATEGORY_TRAITS: Readonly<Record<SensitiveCategory, readonly string[]>> = {
  health: [
    'health.*',
    'medical.*',
    'diagnosis',
    'medication',
    'medications',
    'disability',
    'allergies',
    'pregnant',
    'pregnancy',
    'bloodType',
  ],
  religion: ['religion.*', 'faith', 'religiousBelief'],
  ethnicity: ['ethnicity.*', 'ethnicOrigin', 'race'],
  sexualOrientation: ['sexualOrientation', 'sexuality'],
  politicalOpinion: ['politicalOpinion', 'politicalOpinions', 'politicalParty', 'politics.*'],
  preciseLocation: [
    'location.latitude',
    'location.longitude',
    'address.latitude',
    'address.longitude',
    'latitude',
    'longitude',
    'lat',
    'lng',
    'lon',
    'geo.*',
    'coordinates.*',
  ],
};
