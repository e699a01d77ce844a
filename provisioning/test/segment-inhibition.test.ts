// A real Alertmanager loading provisioning/alertmanager/alertmanager.yml: a segment's alert is
// hidden while the whole model fires the same alert on the same feature and window, and stays
// active when the whole model does not (the drift that the average hides); a critical alert hides
// the warning of the same condition.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PROVISIONING_DIR,
  postAlerts,
  startAlertmanager,
  waitFor,
  type RunningAlertmanager,
} from '../../testkit/index.ts';

let alertmanager: RunningAlertmanager;

before(async () => {
  alertmanager = await startAlertmanager(readFileSync(join(PROVISIONING_DIR, 'alertmanager/alertmanager.yml'), 'utf8'));
});

after(async () => {
  await alertmanager?.stop();
});

interface AlertState {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

const drift = (labels: Record<string, string>) => ({
  labels: { alertname: 'MlmonFeatureDriftWarning', severity: 'warning', model: 'credit', window: '1h', ...labels },
});

test("a segment's alert is inhibited by the whole model's same alert, and only by that", async () => {
  const alerts = [
    drift({ feature: 'income' }),
    drift({ feature: 'income', segment: 'country', segment_value: 'FR' }),
    // The whole model has not drifted on age: the segment's drift is its own.
    drift({ feature: 'age', segment: 'country', segment_value: 'FR' }),
    // Another window of the same feature: not the same alert.
    drift({ feature: 'income', window: '1d', segment: 'country', segment_value: 'DE' }),
    // Another alert of the same feature (missing values): not hidden by the drift alert.
    {
      labels: {
        alertname: 'MlmonMissingValuesHigh',
        severity: 'warning',
        model: 'credit',
        feature: 'income',
        window: '1h',
        segment: 'country',
        segment_value: 'FR',
      },
    },
  ];
  await postAlerts(alertmanager, alerts);
  const key = (l: Record<string, string>) =>
    [l.alertname, l.feature, l.window, l.segment ? `${l.segment}=${l.segment_value}` : 'model'].join(' ');
  const states = await waitFor('inhibition', async () => {
    const list = (await (await fetch(`${alertmanager.url}/api/v2/alerts`)).json()) as AlertState[];
    return list.length === alerts.length && list.some((a) => a.status.state === 'suppressed') ? list : undefined;
  });
  assert.deepEqual(Object.fromEntries(states.map((a) => [key(a.labels), a.status.state])), {
    'MlmonFeatureDriftWarning income 1h model': 'active',
    'MlmonFeatureDriftWarning income 1h country=FR': 'suppressed',
    'MlmonFeatureDriftWarning age 1h country=FR': 'active',
    'MlmonFeatureDriftWarning income 1d country=DE': 'active',
    'MlmonMissingValuesHigh income 1h country=FR': 'active',
  });
});

test('a critical drift alert hides the warning of the same feature and window; the burn rates pair the same way', async () => {
  const model = 'inhibition-pairs';
  const alerts = [
    drift({ model, alertname: 'MlmonFeatureDriftCritical', severity: 'critical', feature: 'income' }),
    drift({ model, feature: 'income' }),
    // Another feature's warning stays: the critical alert is about income only.
    drift({ model, feature: 'age' }),
    { labels: { alertname: 'MlmonErrorBudgetBurnFast', severity: 'critical', model } },
    { labels: { alertname: 'MlmonErrorBudgetBurnSlow', severity: 'warning', model } },
  ];
  await postAlerts(alertmanager, alerts);
  const states = await waitFor('inhibition of warnings', async () => {
    const list = ((await (await fetch(`${alertmanager.url}/api/v2/alerts`)).json()) as AlertState[]).filter(
      (a) => a.labels.model === model,
    );
    return list.length === alerts.length && list.filter((a) => a.status.state === 'suppressed').length >= 2
      ? list
      : undefined;
  });
  assert.deepEqual(
    Object.fromEntries(states.map((a) => [`${a.labels.alertname} ${a.labels.feature ?? ''}`.trim(), a.status.state])),
    {
      'MlmonFeatureDriftCritical income': 'active',
      'MlmonFeatureDriftWarning income': 'suppressed',
      'MlmonFeatureDriftWarning age': 'active',
      MlmonErrorBudgetBurnFast: 'active',
      MlmonErrorBudgetBurnSlow: 'suppressed',
    },
  );
});
