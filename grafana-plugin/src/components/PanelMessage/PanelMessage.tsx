import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2 } from '@grafana/ui';

interface Props {
  kind: 'empty' | 'error';
  title: string;
  children?: React.ReactNode;
  width?: number;
  height?: number;
}

/** The empty and error states: say what is wrong and which query is missing. */
export function PanelMessage({ kind, title, children, width, height }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div
      className={styles.wrap}
      style={{ width, height }}
      role={kind === 'error' ? 'alert' : 'status'}
      data-testid={`mlmon-${kind}`}
    >
      <Icon name={kind === 'error' ? 'exclamation-triangle' : 'info-circle'} size="xl" className={styles[kind]} />
      <div className={styles.title}>{title}</div>
      {children && <div className={styles.body}>{children}</div>}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    height: '100%',
    gap: theme.spacing(1),
    padding: theme.spacing(2),
    textAlign: 'center',
    color: theme.colors.text.secondary,
    overflow: 'auto',
    boxSizing: 'border-box',
  }),
  title: css({ fontSize: theme.typography.h5.fontSize, color: theme.colors.text.primary }),
  body: css({
    maxWidth: 560,
    overflowWrap: 'anywhere',
    code: { fontFamily: theme.typography.fontFamilyMonospace, fontSize: '0.9em' },
  }),
  empty: css({ color: theme.colors.text.secondary }),
  error: css({ color: theme.colors.error.text }),
});
