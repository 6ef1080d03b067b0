import { describe, expect, it } from 'vitest';
import { highestCounter, planStageAssignment } from '../../../src/core/registry/stage-assignment.js';

describe('one plan for every stage tag', () => {
  it("numbers past the highest counter of any of the model's tags, numbered registrations and deprecations included", () => {
    const tags = [
      'gpt2@v1.0.0#7',
      'gpt2#canary#3',
      'gpt2@deprecated#5',
      'gpt2-other#canary#40',
      'other@v1.0.0#99',
    ];
    expect(highestCounter('gpt2', tags)).toBe(7);
    expect(
      planStageAssignment({
        action: 'assign',
        model: 'gpt2',
        version: '1.0.0',
        stage: 'production',
        commit: 'c0ffee',
        lastNumber: highestCounter('gpt2', tags),
      }).tag,
    ).toBe('gpt2#production#8');
  });

  it('records who asked with /promote in the same Requested-by line a release writes, before the trigger', () => {
    const planned = planStageAssignment({
      action: 'assign',
      model: 'gpt2',
      version: '1.3.0',
      stage: 'production',
      commit: 'c0ffee',
      lastNumber: 1,
      reason: 'Promoted with /promote before every canary step had passed.',
      requestedBy: { by: 'alice', link: 'https://github.com/o/r/pull/3#issuecomment-1' },
      trigger: 'run-42',
    });
    expect(planned).toEqual({
      tag: 'gpt2#production#2',
      number: 2,
      commit: 'c0ffee',
      message:
        'Assign gpt2 1.3.0 to production\n\n' +
        'Promoted with /promote before every canary step had passed.\n\n' +
        'Requested-by: alice https://github.com/o/r/pull/3#issuecomment-1\n' +
        'Trigger: run-42',
    });
  });

  it('writes a folder-qualified GTO name as GTO does (dir=name) and a withdrawal as name#stage!#N', () => {
    const planned = planStageAssignment({
      action: 'unassign',
      model: 'models/a:Big',
      version: '1.0.0',
      stage: 'Prod',
      commit: 'c0ffee',
      lastNumber: 2,
    });
    expect(planned.tag).toBe('models/a=Big#Prod!#3');
    expect(planned.message).toBe('Withdraw models/a:Big 1.0.0 from Prod');
  });
});
