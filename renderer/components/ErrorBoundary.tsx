import { Component, type ReactNode } from 'react';
import { fr } from '../i18n/fr';

interface Props {
  /** 'app': the whole window (« Recharger »); 'screen': one screen, the rest of the app stays usable (« Réessayer »). */
  scope: 'app' | 'screen';
  /** Before « Réessayer » renders the screen again (e.g. forget the answers it could not show). */
  onRetry?: () => void;
  children: ReactNode;
}

/**
 * One render exception must not blank the app: the part that failed is replaced by a French
 * message and a way back, with focus on it so a keyboard or screen-reader user knows.
 */
export class ErrorBoundary extends Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    const t = fr.errorBoundary;
    return (
      <div className="fatal" role="alert" data-testid={`error-boundary-${this.props.scope}`}>
        <h2 tabIndex={-1} ref={(h) => h?.focus()}>
          {this.props.scope === 'app' ? t.appTitle : t.screenTitle}
        </h2>
        <p>{t.body}</p>
        {this.props.scope === 'app' ? (
          <button type="button" onClick={() => window.location.reload()}>
            {t.reload}
          </button>
        ) : (
          <button
            type="button"
            onClick={() => {
              this.props.onRetry?.();
              this.setState({ failed: false });
            }}
          >
            {t.retry}
          </button>
        )}
      </div>
    );
  }
}
