// Numbers in messages keep their trailing integer zeros: a learning rate of 5000 is printed as 5000, not 5 (the
// formatter once stripped every trailing zero of toPrecision's text, decimal point or not).
import { describe, expect, it } from 'vitest';
import { TRAIN_MESSAGES } from '../../src/messages/train.js';
import { ENERGY_MESSAGES } from '../../src/messages/energy.js';

const flag = (o: string) => `--${o}`;

describe('numbers in messages', () => {
  it('print integers with trailing zeros whole, and decimals without trailing zeros', () => {
    expect(TRAIN_MESSAGES.badLearningRate(-5000)(flag)).toContain('-5000 must be');
    expect(TRAIN_MESSAGES.badLearningRate(-120)(flag)).toContain('-120 must be');
    expect(TRAIN_MESSAGES.badLearningRate(-0.0010)(flag)).toContain('-0.001 must be');
    expect(TRAIN_MESSAGES.badLearningRate(-1.23456)(flag)).toContain('-1.235 must be');
    expect(ENERGY_MESSAGES.suppliesReversed(-2500, 1000)(flag)).toContain('the positive supply -2500 V must be above the negative supply 1000 V');
  });
});
