import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nProvider } from '../i18n/i18n';
import { PasswordPage } from './PasswordPage';

describe('the change-password page', () => {
  it('labels every field, with the browser told which password is which', () => {
    for (const [lang, labels] of [
      ['en', ['Current password', 'New password', 'New password again', 'Change password']],
      ['zh', ['当前密码', '新密码', '再次输入新密码', '修改密码']],
    ] as const) {
      const html = renderToStaticMarkup(
        <QueryClientProvider client={new QueryClient()}>
          <I18nProvider lang={lang}>
            <PasswordPage />
          </I18nProvider>
        </QueryClientProvider>,
      );
      for (const label of labels) expect(html).toContain(`>${label}</`);
      expect(html.match(/<label for="[^"]+">/g)).toHaveLength(3);
      expect(html.match(/autoComplete="current-password"/g)).toHaveLength(1);
      expect(html.match(/autoComplete="new-password"/g)).toHaveLength(2);
    }
  });
});
