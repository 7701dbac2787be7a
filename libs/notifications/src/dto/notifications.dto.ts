import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { PageOf, PageQueryDto, QueryBoolean } from '@app/platform';
import { NOTIFICATION_KINDS, type NotificationKind } from '../notification.types';

export class NotificationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: Boolean, description: 'only notifications not read yet' })
  @QueryBoolean()
  unread?: boolean;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind: NotificationKind;
  @ApiProperty({ description: 'short title in the reader’s language (Accept-Language: en, else Chinese)' }) title: string;
  @ApiProperty() body: string;
  @ApiProperty({ description: 'path of the web page where the reader acts', example: '/applications' }) link: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) readAt: string | null;
}

export class NotificationListDto extends PageOf(NotificationDto) {
  @ApiProperty({ description: 'notifications of the reader not read yet' }) unread: number;
}

export class NotificationPreferencesDto {
  @ApiProperty({ description: 'text messages on (true) or off (false); the inbox always receives everything' })
  @IsBoolean()
  sms: boolean;
}
