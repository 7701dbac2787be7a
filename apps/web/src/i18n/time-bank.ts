import type { Labels, Texts } from './texts';

/** The time bank: balance, help requests, booking services, gifts and logging service done. */
export const text = {
  'bank.cardNumber': ['服务卡号：{card}', 'Service card: {card}'],
  'bank.phone': ['手机号码：{phone}', 'Mobile: {phone}'],

  'bank.title': ['我的时间银行', 'My time bank'],
  'bank.available': ['现在可以用的时间', 'Time you can use now'],
  'bank.balance': ['账户里的全部时间', 'All time in your account'],
  'bank.held': ['已预约、暂时冻结的时间', 'Held for booked services'],
  'bank.explain': [
    '做志愿服务 1 小时，存入 1 小时。预约服务时先冻结，服务完成后扣除，取消则退回。',
    'One hour of volunteering banks one hour. Booked services hold time first; it is taken when the service is done or returned if cancelled.',
  ],
  'bank.whatNext': ['您可以', 'You can'],
  'bank.redeem': ['用时间兑换服务', 'Use time for a service'],
  'bank.give': ['把时间转赠给家人', 'Give time to family'],
  'bank.myNumber': ['我的编号', 'My number'],
  'bank.myNumberText': [
    '家人给您转赠时间、志愿者登记为您做的服务时，请告诉对方您的手机号码或服务卡号。',
    'When family give you time or a volunteer logs a service for you, tell them your mobile number or service card number.',
  ],
  'bank.history': ['最近的记录', 'Recent history'],
  'bank.noHistory': ['还没有记录。', 'No history yet.'],
  'bank.balanceAfter': ['之后余额 {minutes}', 'balance after: {minutes}'],
  'bank.heldChange': ['冻结 {minutes}', 'held: {minutes}'],

  'request.title': ['请志愿者帮忙', 'Ask for help'],
  'request.qType': ['您需要什么帮助？', 'What help do you need?'],
  'request.qWhen': ['您希望什么时候？', 'When would you like it?'],
  'request.qDuration': ['大概需要多长时间？', 'About how long will it take?'],
  'request.qStreet': ['在哪里？', 'Where?'],
  'request.streetHint': ['例如：彭埠街道 云峰家园 3 幢', 'For example: Pengbu Street, Yunfeng Homes, block 3'],
  'request.qNote': ['还有什么要告诉志愿者的吗？', 'Anything else the volunteer should know?'],
  'request.submit': ['确认并发出求助', 'Confirm and send'],
  'request.done': ['求助已发出，志愿者认领后会和您联系。', 'Your request was sent. A volunteer will contact you.'],

  'redeem.title': ['用时间兑换服务', 'Use time for a service'],
  'redeem.qType': ['您想兑换什么服务？', 'Which service would you like?'],
  'redeem.qMinutes': ['要用多少分钟？', 'How many minutes will you use?'],
  'redeem.minutesHint': ['1 小时 = 60 分钟，例如填 60', '1 hour = 60 minutes; for example 60'],
  'redeem.qWhen': ['服务安排在什么时候？', 'When is the service?'],
  'redeem.checkIntro': [
    '确认后，这些时间会先冻结；服务完成后扣除，取消则全部退回。',
    'After you confirm, the time is held; it is taken when the service is done, or returned if cancelled.',
  ],
  'redeem.submit': ['确认兑换', 'Confirm'],
  'redeem.done': ['已预约，{minutes} 已为您冻结。', 'Booked. {minutes} is held for it.'],

  'give.title': ['把时间转赠给家人', 'Give time to family'],
  'give.qWho': ['家人的手机号码或服务卡号是多少？', 'What is your family member’s mobile number or service card number?'],
  'give.whoHint': ['填 11 位手机号码，或服务卡上的 10 位卡号', 'Enter the 11-digit mobile number, or the 10-digit number on their service card'],
  'give.qRelationship': ['他是您的什么人？', 'How are you related?'],
  'give.qMinutes': ['转赠多少分钟？', 'How many minutes will you give?'],
  'give.recipient': ['家人的编号', 'Family member’s number'],
  'give.submit': ['确认转赠', 'Confirm and give'],
  'give.done': ['已转赠 {minutes}。', '{minutes} given.'],

  'log.title': ['登记一次服务', 'Log a service'],
  'log.qWho': ['您为谁服务？请填对方的手机号码或服务卡号', 'Who did you help? Enter their mobile number or service card number'],
  'log.whoHint': ['填 11 位手机号码，或老人服务卡上的 10 位卡号', 'Enter the 11-digit mobile number, or the 10-digit number on their service card'],
  'log.qType': ['是什么服务？', 'What service was it?'],
  'log.qWhen': ['服务是什么时候开始的？', 'When did it start?'],
  'log.qDuration': ['服务了多少分钟？', 'How many minutes?'],
  'log.durationHint': ['15 到 480 分钟', '15 to 480 minutes'],
  'log.recipient': ['服务对象编号', 'Their number'],
  'log.submit': ['确认登记', 'Confirm'],
  'log.done': ['已登记，等对方确认后存入时间。', 'Logged. The time is banked once they confirm.'],

  'requests.title': ['老人的求助', 'Requests for help'],
  'requests.intro': ['和您的特长相符的求助排在前面。', 'Requests that match your skills come first.'],
  'requests.none': ['现在没有待认领的求助。', 'There are no open requests right now.'],
  'requests.matches': ['符合您的特长', 'Matches your skills'],
  'requests.claim': ['认领这个求助', 'Take this request'],
  'claim.title': ['确定认领这个求助吗？', 'Take this request?'],
  'claim.intro': ['认领后请按时上门服务，完成后登记服务时间。', 'Once you take it, please go at the agreed time and log the service afterwards.'],
  'claim.submit': ['确认认领', 'Yes, take it'],
  'claim.notNow': ['先不认领', 'Not now'],
  'claim.done': ['认领成功，请按时提供服务。', 'The request is yours. Please go at the agreed time.'],
} satisfies Texts;

/** Names of the API's codes in plain words. */
export const labels = {
  serviceType: {
    COMPANIONSHIP: ['陪伴聊天', 'Companionship'],
    CLEANING: ['打扫卫生', 'Cleaning'],
    ESCORT: ['陪同出行、看病', 'Escort (outings, doctor)'],
    MEAL_DELIVERY: ['送餐', 'Meal delivery'],
    SHOPPING: ['代买东西', 'Shopping'],
    HEALTH_CHECK: ['健康检查', 'Health check'],
    OTHER: ['其他', 'Other'],
  },
  entryKind: {
    EARNED: ['服务存入', 'Earned'],
    HELD: ['预约冻结', 'Held for a booking'],
    RELEASED: ['取消预约，解冻', 'Hold released'],
    REDEEMED: ['兑换服务', 'Used for a service'],
    GIFT_IN: ['家人转入', 'Gift received'],
    GIFT_OUT: ['转赠家人', 'Gift given'],
    POOLED: ['超出上限，转入公益池', 'Over the cap, to the community pool'],
    REVERSAL: ['更正', 'Correction'],
  },
} satisfies Labels;
