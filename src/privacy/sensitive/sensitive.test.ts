import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/index.js';
import {
  DEFAULT_SENSITIVE_SETTINGS,
  SensitiveSettings,
  assertSensitiveUse,
  checkSensitiveUse,
  sensitiveMatch,
  withoutSensitiveTraits,
} from './sensitive.js';

const uses = (...attributes: string[]) =>
  attributes.map((a, i) => ({ attribute: a, rule: `r${i}` }));

describe('sensitive attributes', () => {
  it('covers each built-in category by default, in the usual spellings', () => {
    const s = DEFAULT_SENSITIVE_SETTINGS;
    expect(sensitiveMatch(s, 'health.conditions')).toEqual({
      pattern: 'health.*',
      category: 'health',
    });
    expect(sensitiveMatch(s, 'religion')?.category).toBe('religion');
    expect(sensitiveMatch(s, 'Ethnicity')?.category).toBe('ethnicity');
    expect(sensitiveMatch(s, 'sexual_orientation')?.category).toBe('sexualOrientation');
    expect(sensitiveMatch(s, 'political-opinion')?.category).toBe('politicalOpinion');
    expect(sensitiveMatch(s, 'location.latitude')?.category).toBe('preciseLocation');
    expect(sensitiveMatch(s, 'geo.lat')?.category).toBe('preciseLocation');
    // Reading the parent reads the child.
    expect(sensitiveMatch(s, 'location')?.pattern).toBe('location.latitude');
    expect(sensitiveMatch(s, 'location.city')).toBeNull();
    expect(sensitiveMatch(s, 'plan')).toBeNull();
    expect(sensitiveMatch(s, 'healthy')).toBeNull();
  });

  it("adds the shop's own traits and drops categories it turns off", () => {
    const s = SensitiveSettings.parse({
      categories: ['health'],
      traits: ['loyalty.tier', 'diet.*'],
    });
    expect(sensitiveMatch(s, 'religion')).toBeNull();
    expect(sensitiveMatch(s, 'diet.vegan')).toEqual({ pattern: 'diet.*', category: 'custom' });
    expect(sensitiveMatch(s, 'loyalty.tier')?.category).toBe('custom');
    expect(sensitiveMatch(s, 'loyalty.points')).toBeNull();
  });

  it('lets an allowance through for its use only', () => {
    const s = SensitiveSettings.parse({
      allow: [{ attribute: 'health.*', use: 'segments', reason: 'pharmacy refill reminders' }],
    });
    expect(checkSensitiveUse(s, 'segments', uses('health.allergies', 'plan'))).toEqual([]);
    expect(checkSensitiveUse(s, 'templates', uses('health.allergies'))).toEqual([
      {
        attribute: 'health.allergies',
        rule: 'r0',
        use: 'templates',
        pattern: 'health.*',
        category: 'health',
      },
    ]);
  });

  it('answers 400 naming the rule and the attribute', () => {
    let error: unknown;
    try {
      assertSensitiveUse(DEFAULT_SENSITIVE_SETTINGS, 'decisions', [
        { attribute: 'religion', rule: 'features.2' },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const v = error as ValidationError;
    expect(v.status).toBe(400);
    expect(v.message).toContain('"religion"');
    expect(v.details[0]!.path).toBe('features.2');
    expect(v.details[0]!.problem).toContain('category religion');
  });

  it('refuses allowances without a reason and malformed patterns', () => {
    const r = SensitiveSettings.safeParse({
      traits: ['a..b'],
      allow: [{ attribute: 'religion', use: 'segments', reason: '' }],
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['traits.0', 'allow.0.reason']));
    expect(
      SensitiveSettings.safeParse({
        allow: [{ attribute: 'x', use: 'ads', reason: 'because reasons' }],
      }).success,
    ).toBe(false);
  });

  it('removes sensitive traits from what a template sees, keeping the rest', () => {
    const traits = {
      first_name: 'Ada',
      religion: 'x',
      health: { allergies: ['nuts'] },
      location: { city: 'Paris', latitude: 48.85, longitude: 2.35 },
      plan: 'pro',
    };
    expect(withoutSensitiveTraits(DEFAULT_SENSITIVE_SETTINGS, 'templates', traits)).toEqual({
      first_name: 'Ada',
      location: { city: 'Paris' },
      plan: 'pro',
    });
    const allowed = SensitiveSettings.parse({
      allow: [{ attribute: 'religion', use: 'templates', reason: 'holiday greetings by faith' }],
    });
    expect(withoutSensitiveTraits(allowed, 'templates', traits)).toMatchObject({ religion: 'x' });
    expect(withoutSensitiveTraits(allowed, 'segments', traits)).not.toHaveProperty('religion');
  });
});
