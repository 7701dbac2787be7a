import type { Texts } from './texts';

/** The bell and the inbox. */
export const text = {
  'bell.label': ['通知', 'Inbox'],
  'bell.unread': ['通知，{count} 条未读', 'Inbox, {count} unread'],
  'inbox.title': ['我的通知', 'My notifications'],
  'inbox.intro': ['报名结果、床位、时间银行等消息都在这里。', 'Results of applications, beds, the time bank and other news are here.'],
  'inbox.none': ['还没有通知。', 'No notifications yet.'],
  'inbox.unreadCount': ['{count} 条未读', '{count} unread'],
  'inbox.unread': ['未读', 'Unread'],
  'inbox.read': ['已读', 'Read'],
  'inbox.open': ['去看看', 'Open'],
  'inbox.markRead': ['标为已读', 'Mark as read'],
  'inbox.smsTitle': ['短信通知', 'Text messages'],
  'inbox.smsOn': ['现在：重要消息会同时发短信到您的手机。', 'Now: important news is also sent to your mobile by text message.'],
  'inbox.smsOff': ['现在：不发短信，消息只在这里显示。', 'Now: no text messages; news shows here only.'],
  'inbox.smsTurnOff': ['不要发短信', 'Stop text messages'],
  'inbox.smsTurnOn': ['请发短信给我', 'Send me text messages'],
  'inbox.smsSaved': ['已保存。', 'Saved.'],
  'inbox.quietNote': [
    '晚上 9 点到早上 8 点不发短信（床位通知除外），第二天早上再发。',
    'No text messages between 9 pm and 8 am (except bed offers); they go out the next morning.',
  ],
} satisfies Texts;
