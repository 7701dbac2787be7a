import { api } from '../api';
import { html, type SafeHtml } from '../dom';
import { t } from '../i18n';
import { type PageContext, renderPage, type Route } from '../router';
import { currentUser } from '../session';
import { isStaff } from './counter';
import { hasResidence, readResidence, residenceLines } from './residence';

function tile(href: string, label: string, description: string, primary = false): SafeHtml {
  return html`<li class="tile${primary ? ' tile--primary' : ''}">
    <a href="${href}"><span class="tile-label">${label}</span><span class="tile-text">${description}</span></a>
  </li>`;
}

/** How many items the list at `path` holds, or null if that cannot be read now: the home page shows regardless. */
async function totalOf(path: string, signal: AbortSignal): Promise<number | null> {
  const page = await api<{ total: number }>(`${path}?limit=1`, { signal }).catch(() => null);
  return page?.total ?? null;
}

/** The way to the services still waiting for seniors' word, with how many when there are any. */
function waitingTile(waiting: number | null): SafeHtml {
  return tile('/time-bank/waiting', t('home.waiting'), waiting ? t('home.waitingCount', { count: waiting }) : t('home.waitingText'));
}

/** The way to the services booked with minutes that staff still have to give, with how many when there are any. */
function bookingsTile(waiting: number | null): SafeHtml {
  return tile('/time-bank/bookings', t('home.bookings'), waiting ? t('home.bookingsCount', { count: waiting }) : t('home.bookingsText'));
}

/** The way to the services volunteers asked staff to review, with how many wait when there are any. */
function reviewsTile(waiting: number | null): SafeHtml {
  return tile('/time-bank/reviews', t('home.reviews'), waiting ? t('home.reviewsWaiting', { count: waiting }) : t('home.reviewsText'));
}

async function homePage(ctx: PageContext): Promise<void> {
  const user = currentUser();
  if (!user) {
    renderPage(
      ctx,
      t('home.welcomeTitle'),
      html`<h1>${t('home.welcomeTitle')}</h1>
        <p class="lead">${t('home.welcomeLead')}</p>
        <div class="button-group">
          <a class="button button--primary" href="/login">${t('header.signIn')}</a>
          <a class="button button--secondary" href="/register/name">${t('register.start')}</a>
        </div>
        <h2>${t('home.whatTitle')}</h2>
        <ul class="plain-list">
          <li>${t('home.what1')}</li>
          <li>${t('home.what2')}</li>
          <li>${t('home.what3')}</li>
        </ul>
        <p><a href="/courses">${t('home.browseCourses')}</a></p>`,
    );
    return;
  }
  const sections: SafeHtml[] = [];
  const staff = user.roles.includes('MANAGER') || user.roles.includes('ADMIN');
  // What waits for staff: reviews to decide, and services still waiting for the seniors they serve (no count if unreadable).
  const [toReview, waiting, toGive] = staff
    ? await Promise.all([
        totalOf('/time-bank/services/under-review', ctx.signal),
        totalOf('/time-bank/services/awaiting-elders', ctx.signal),
        totalOf('/time-bank/redemptions/to-deliver', ctx.signal),
      ])
    : [null, null, null];
  if (user.roles.includes('SENIOR')) {
    // A service waiting for the senior's word comes first: a volunteer's time is banked only once they answer.
    const [awaiting, residence] = await Promise.all([totalOf('/time-bank/services/awaiting-me', ctx.signal), readResidence(ctx.signal)]);
    const toConfirm = awaiting ?? 0;
    // A senior in a home, held a bed or on a waiting list reads where first.
    if (hasResidence(residence)) {
      sections.push(
        html`<section aria-labelledby="h-residence">
          <h2 id="h-residence">${t('residence.title')}</h2>
          ${residenceLines(residence)}
        </section>`,
      );
    }
    sections.push(
      html`<section aria-labelledby="h-senior">
        <h2 id="h-senior">${t('home.seniorTitle')}</h2>
        <ul class="tiles">
          ${toConfirm > 0 ? tile('/time-bank', t('home.toConfirm'), t('home.toConfirmText', { count: toConfirm }), true) : ''}
          ${tile('/courses', t('home.courses'), t('home.coursesText'), toConfirm === 0)}
          ${tile('/applications', t('home.myApplications'), t('home.myApplicationsText'))} ${tile('/time-bank', t('home.timeBank'), t('home.timeBankText'))}
          ${tile('/time-bank/request/service-type', t('home.askHelp'), t('home.askHelpText'))}
          ${tile('/time-bank/my-requests', t('home.myRequests'), t('home.myRequestsText'))}
        </ul>
      </section>`,
    );
  }
  if (user.roles.includes('VOLUNTEER')) {
    sections.push(
      html`<section aria-labelledby="h-volunteer">
        <h2 id="h-volunteer">${t('home.volunteerTitle')}</h2>
        <ul class="tiles">
          ${user.roles.includes('SENIOR') ? '' : tile('/time-bank', t('home.timeBank'), t('home.volunteerBankText'), true)}
          ${tile('/time-bank/requests', t('home.openRequests'), t('home.openRequestsText'))}
          ${tile('/time-bank/my-claims', t('home.myClaims'), t('home.myClaimsText'))}
          ${tile('/time-bank/log/recipient', t('home.logService'), t('home.logServiceText'))}
          ${tile('/time-bank/skills', t('home.skills'), t('home.skillsText'))}
        </ul>
      </section>`,
    );
  }
  if (user.roles.includes('FAMILY')) {
    sections.push(
      html`<section aria-labelledby="h-family">
        <h2 id="h-family">${t('home.familyTitle')}</h2>
        <ul class="tiles">
          ${tile('/family', t('home.family'), t('home.familyText'), !user.roles.includes('SENIOR'))}
        </ul>
      </section>`,
    );
  } else if (user.roles.includes('SENIOR')) {
    sections.push(
      html`<section aria-labelledby="h-family">
        <h2 id="h-family">${t('home.familyTitle')}</h2>
        <ul class="tiles">
          ${tile('/family', t('home.family'), t('home.familySeniorText'))}
        </ul>
      </section>`,
    );
  }
  if (user.roles.includes('COUNTER') || user.roles.includes('ADMIN')) {
    sections.push(
      html`<section aria-labelledby="h-counter">
        <h2 id="h-counter">${t('home.counterTitle')}</h2>
        <ul class="tiles">
          ${tile('/counter', t('home.counter'), t('home.counterText'), user.roles.includes('COUNTER'))}
        </ul>
      </section>`,
    );
  }
  if (user.roles.includes('MANAGER')) {
    sections.push(
      html`<section aria-labelledby="h-manager">
        <h2 id="h-manager">${t('home.managerTitle')}</h2>
        <ul class="tiles">
          ${tile('/facilities', t('home.facilities'), t('home.facilitiesText'), true)} ${reviewsTile(toReview)} ${waitingTile(waiting)} ${bookingsTile(toGive)}
        </ul>
      </section>`,
    );
  }
  if (user.roles.includes('ADMIN')) {
    sections.push(
      html`<section aria-labelledby="h-admin">
        <h2 id="h-admin">${t('home.adminTitle')}</h2>
        <ul class="tiles">
          ${tile('/admin', t('home.overview'), t('home.overviewText'), true)}
          ${user.roles.includes('MANAGER') ? '' : html`${reviewsTile(toReview)} ${waitingTile(waiting)} ${bookingsTile(toGive)}`}
        </ul>
      </section>`,
    );
  }
  sections.push(
    html`<section aria-labelledby="h-account">
      <h2 id="h-account">${t('home.accountTitle')}</h2>
      <ul class="tiles">
        ${tile('/account/password', t('home.password'), t('home.passwordText'))}
        ${user.roles.includes('VOLUNTEER') ? tile('/account/volunteering', t('home.stopVolunteering'), t('home.stopVolunteeringText')) : ''}
        ${isStaff(user) ? '' : tile('/account/close', t('home.close'), t('home.closeText'))}
      </ul>
    </section>`,
  );
  renderPage(
    ctx,
    t('home.title'),
    html`<h1>${t('home.hello', { name: user.name })}</h1>
      <p class="lead">${t('home.lead')}</p>
      ${sections}`,
  );
}

export const homeRoutes: Route[] = [{ pattern: '/', page: homePage }];
