import './styles.css';
import { api, interceptDownloads, whenSignedOut } from './api';
import { t } from './i18n';
import { defineRoutes, flash, interceptLinks, navigate, renderCurrent } from './router';
import { type Me, getToken, setCurrentUser, clearSession } from './session';
import { applyPreferences, refreshHeader } from './shell';
import { authRoutes } from './pages/auth';
import { homeRoutes } from './pages/home';
import { enrolmentRoutes } from './pages/enrolment';
import { timeBankRoutes } from './pages/time-bank';
import { serviceReviewRoutes } from './pages/service-reviews';
import { bookingRoutes } from './pages/bookings';
import { bedRoutes } from './pages/beds';
import { careRoutes } from './pages/care';
import { adminRoutes } from './pages/admin';
import { enrolmentAdminRoutes } from './pages/enrolment-admin';
import { careAdminRoutes } from './pages/care-admin';
import { staffAdminRoutes } from './pages/staff-admin';
import { accountRoutes } from './pages/account';
import { reportRoutes } from './pages/report';
import { counterRoutes } from './pages/counter';
import { counterPeopleRoutes } from './pages/counter-people';
import { removedAccountRoutes } from './pages/removed-accounts';
import { notificationRoutes } from './pages/notifications';

async function start(): Promise<void> {
  applyPreferences();
  if (getToken()) {
    try {
      setCurrentUser(await api<Me>('/me'));
    } catch {
      clearSession();
    }
  }
  whenSignedOut(() => {
    refreshHeader();
    flash(t('login.expired'));
    navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
  });
  refreshHeader();
  defineRoutes(
    [
      ...homeRoutes,
      ...authRoutes,
      ...enrolmentRoutes,
      ...timeBankRoutes,
      ...serviceReviewRoutes,
      ...bookingRoutes,
      ...bedRoutes,
      ...careRoutes,
      ...reportRoutes,
      ...adminRoutes,
      ...enrolmentAdminRoutes,
      ...careAdminRoutes,
      ...staffAdminRoutes,
      ...accountRoutes,
      ...counterRoutes,
      ...counterPeopleRoutes,
      ...removedAccountRoutes,
      ...notificationRoutes,
    ],
    () => undefined,
  );
  interceptLinks();
  interceptDownloads(() => t('export.failed'));
  await renderCurrent();
}

void start();
