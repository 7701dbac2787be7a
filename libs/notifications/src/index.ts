import { Notifications1764400550000 } from './migrations/1764400550000-notifications';
import { NotificationsRequestExpired1764400840000 } from './migrations/1764400840000-notifications-request-expired';
import { NotificationsRequestFollowThrough1764400850000 } from './migrations/1764400850000-notifications-request-follow-through';
import { NotificationsRequestReminders1764400860000 } from './migrations/1764400860000-notifications-request-reminders';
import { NotificationsRequestClosedLate1764400870000 } from './migrations/1764400870000-notifications-request-closed-late';
import { NotificationsServiceFollowUp1764400890000 } from './migrations/1764400890000-notifications-service-follow-up';
import { NotificationsServiceReview1764400900000 } from './migrations/1764400900000-notifications-service-review';
import { NotificationsBookingCancelled1764401060000 } from './migrations/1764401060000-notifications-booking-cancelled';
import { NotificationsBookingUnsettled1764401080000 } from './migrations/1764401080000-notifications-booking-unsettled';
import { NotificationsSeatCancelled1764401140000 } from './migrations/1764401140000-notifications-seat-cancelled';
import { NotificationsCourseMoved1764401160000 } from './migrations/1764401160000-notifications-course-moved';
import { NotificationsBedTransferred1764401170000 } from './migrations/1764401170000-notifications-bed-transferred';
import { NotificationsMayReapply1764401180000 } from './migrations/1764401180000-notifications-may-reapply';
import { NotificationsLeaveOverdue1764401190000 } from './migrations/1764401190000-notifications-leave-overdue';

export { NotificationsModule, NotificationsHttpModule, NotificationsWorkerModule } from './notifications.module';
export { NotificationOutbox, withNotificationSql, type NotificationFromRow } from './notification-outbox';
export { NotificationSources, type NotificationSource } from './notification-sources';
export { Clock } from './clock';
export { NotificationKind, NOTIFICATION_KINDS, type NotificationEvent, type NotificationParams, type Addressee } from './notification.types';
export { renderText, type Lang } from './notification-texts';
export { AliyunSmsClient, signRpc, percentEncode, mapAliyunAnswer } from './sms/aliyun-sms.client';

/** The notifications' migrations, composed into every program's schema (its queries are SQL; it maps no entity). */
export const notificationsMigrations = [
  Notifications1764400550000,
  NotificationsRequestExpired1764400840000,
  NotificationsRequestFollowThrough1764400850000,
  NotificationsRequestReminders1764400860000,
  NotificationsRequestClosedLate1764400870000,
  NotificationsServiceFollowUp1764400890000,
  NotificationsServiceReview1764400900000,
  NotificationsBookingCancelled1764401060000,
  NotificationsBookingUnsettled1764401080000,
  NotificationsSeatCancelled1764401140000,
  NotificationsCourseMoved1764401160000,
  NotificationsBedTransferred1764401170000,
  NotificationsMayReapply1764401180000,
  NotificationsLeaveOverdue1764401190000,
];
