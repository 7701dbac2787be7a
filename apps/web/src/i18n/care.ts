import type { Labels, Texts } from './texts';

/** Care centres: check-in and service records. */
export const text = {
  'centre.today': ['今天：{date}', 'Today: {date}'],
  'centre.checkIns': ['今天已签到', 'Checked in today'],
  'centre.capacity': ['每日可接待', 'Day capacity'],
  'centre.rate': ['到场率', 'Attendance'],
  'centre.forms': ['登记内容', 'What to record'],
  'centre.checkInTitle': ['老人签到', 'Check a senior in'],
  'centre.checkInSubmit': ['签到', 'Check in'],
  'centre.checkedIn': ['{name} 签到成功。', '{name} is checked in.'],
  'centre.arrivals': ['今天已签到的老人', 'Who checked in today'],
  'centre.arrivalsOrder': ['最近签到的在最上面。', 'The latest arrival is at the top.'],
  'centre.noArrivals': ['今天还没有老人签到。', 'Nobody has checked in today yet.'],
  'centre.arrivedAt': ['签到时间', 'Time'],
  'centre.withdraw': ['撤销', 'Withdraw'],
  'centre.withdrawTitle': ['撤销这次签到？', 'Withdraw this check-in?'],
  'centre.withdrawWarning': [
    '只在签错了人时撤销。撤销后，今天的签到人数减一，这位老人可以重新签到。',
    'Withdraw it only if the wrong person was checked in. Today’s count goes down by one, and this senior can check in again.',
  ],
  'centre.withdrawSubmit': ['确认撤销', 'Withdraw the check-in'],
  'centre.withdrawKeep': ['不撤销，返回', 'Keep it and go back'],
  'centre.withdrawn': ['已撤销{name}的签到。', '{name}’s check-in is withdrawn.'],
  'centre.servicesToday': ['今天登记的服务', 'Services entered today'],
  'centre.servicesOrder': ['最近登记的在最上面。', 'The latest entry is at the top.'],
  'centre.noServicesToday': ['今天还没有登记服务。', 'No services have been entered today yet.'],
  'centre.quantityShort': ['数量', 'Quantity'],
  'centre.givenAt': ['服务时间', 'Time of the service'],
  'centre.serviceWithdrawTitle': ['撤销这条服务登记？', 'Withdraw this service entry?'],
  'centre.serviceWithdrawWarning': [
    '只在登记错了时撤销（人、服务内容或数量不对，或者登记了两次）。撤销后，这条服务不再计入统计。',
    'Withdraw it only if it was entered wrongly (the wrong person, service or quantity, or entered twice). It then no longer counts in the figures.',
  ],
  'centre.serviceWithdrawn': ['已撤销{name}的{type}登记。', '{name}’s {type} entry is withdrawn.'],
  'centre.serviceWithdrawGoneTitle': ['找不到这条服务登记', 'This service entry is not in today’s list'],
  'centre.serviceWithdrawGone': [
    '今天登记的服务里没有这一条，可能已经撤销了。',
    'Today’s entries do not include this one; it may have been withdrawn already.',
  ],
  'centre.withdrawGoneTitle': ['找不到这次签到', 'This check-in is not in today’s list'],
  'centre.withdrawGone': ['今天的签到里没有这一条，可能已经撤销了。', 'Today’s check-ins do not include this one; it may have been withdrawn already.'],
  'centre.seniorNumber': ['老人的服务卡号或身份证号码', 'Senior’s service card number or ID card number'],
  'centre.seniorHint': ['刷卡或照着服务卡、身份证填写', 'Scan the card, or type it from the service card or ID card'],
  'centre.serviceTitle': ['登记服务', 'Record a service'],
  'centre.serviceTime': ['服务时间（今天）', 'Time of the service (today)'],
  'centre.quantity': ['数量（例如几份餐）', 'Quantity (for example meals)'],
  'centre.serviceSubmit': ['登记服务', 'Record service'],
  'centre.serviceDone': ['已为{name}登记：{type}。', 'Recorded for {name}: {type}.'],
} satisfies Texts;

/** Names of the API's codes in plain words. */
export const labels = {
  careService: {
    MEAL: ['助餐', 'Meals'],
    CLEANING: ['助洁', 'Cleaning'],
    MEDICAL: ['助医', 'Medical help'],
    HARDSHIP: ['助困', 'Hardship help'],
    EMERGENCY: ['助急', 'Emergency help'],
    RECREATION: ['助乐', 'Recreation'],
  },
} satisfies Labels;
