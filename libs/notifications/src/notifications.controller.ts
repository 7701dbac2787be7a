import { Body, Controller, Get, Headers, HttpCode, type MessageEvent, Param, Patch, Post, Query, Sse, SseSignal } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { finalize, map, type Observable } from 'rxjs';
import { AnyRole, CurrentUser, LiveStreams, ParseUuid, type Principal } from '@app/platform';
import { NotificationDto, NotificationListDto, NotificationListQueryDto, NotificationPreferencesDto } from './dto/notifications.dto';
import { InboxService } from './inbox.service';
import { langOf } from './notification-texts';

/** The caller's inbox and notification preference (docs/api.md, "Notifications"). */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('me')
export class NotificationsController {
  constructor(
    private readonly inbox: InboxService,
    private readonly liveStreams: LiveStreams,
  ) {}

  @Get('notifications')
  @AnyRole()
  @ApiOperation({ summary: 'The caller’s notifications, newest first, with the unread count; `unread=true` lists only those not read' })
  @ApiOkResponse({ type: NotificationListDto })
  async list(
    @CurrentUser() principal: Principal,
    @Query() query: NotificationListQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<NotificationListDto> {
    return this.inbox.list(principal.id, { unread: query.unread ?? false, limit: query.limit, offset: query.offset, lang: langOf(acceptLanguage) });
  }

  @Sse('notifications/events')
  @AnyRole()
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Live: event "notification" with each new notification of the caller, from every API process' })
  @ApiOkResponse({ description: 'text/event-stream of `notification` events carrying the notification', type: String })
  @ApiTooManyRequestsResponse({
    description: 'RATE_LIMITED: the caller, or the server, holds as many live streams as allowed (LIVE_STREAMS_PER_USER, LIVE_STREAMS_PER_PROCESS)',
  })
  events(@CurrentUser() principal: Principal, @SseSignal() signal: AbortSignal, @Headers('accept-language') acceptLanguage?: string): Observable<MessageEvent> {
    const release = this.liveStreams.open(principal.id, signal);
    return this.inbox.live(principal.id, langOf(acceptLanguage)).pipe(
      map((item) => ({ type: 'notification', data: item })),
      finalize(release),
    );
  }

  @Post('notifications/:id/read')
  @HttpCode(200)
  @AnyRole()
  @ApiOperation({ summary: 'Mark one of the caller’s notifications read (again: no change); another person’s → 404' })
  @ApiOkResponse({ type: NotificationDto })
  async read(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUuid) id: string,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<NotificationDto> {
    return this.inbox.markRead(principal.id, id.toLowerCase(), langOf(acceptLanguage));
  }

  @Get('preferences')
  @AnyRole()
  @ApiOperation({ summary: 'The caller’s notification preference' })
  @ApiOkResponse({ type: NotificationPreferencesDto })
  async preferences(@CurrentUser() principal: Principal): Promise<NotificationPreferencesDto> {
    return this.inbox.preferences(principal.id);
  }

  @Patch('preferences')
  @AnyRole()
  @ApiOperation({ summary: 'Text messages on or off for the caller; the inbox always receives everything' })
  @ApiOkResponse({ type: NotificationPreferencesDto })
  async setPreferences(@CurrentUser() principal: Principal, @Body() body: NotificationPreferencesDto): Promise<NotificationPreferencesDto> {
    return this.inbox.setPreferences(principal.id, body.sms);
  }
}
