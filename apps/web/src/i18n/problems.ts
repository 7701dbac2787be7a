import type { Texts } from './texts';

/** Problem codes (docs/api.md) in plain words, with what to do next. */
export const problems = {
  NETWORK: [
    '网络连接不上，请检查网络后再试。您填写的内容已保留。',
    'The network cannot be reached. Check your connection and try again. Your answers are kept.',
  ],
  UNAUTHENTICATED: ['手机号码或密码不对，请再试一次。', 'The mobile number or password is not right. Please try again.'],
  RATE_LIMITED: ['尝试次数太多了，请过几分钟再试。', 'Too many tries. Please wait a few minutes and try again.'],
  ALREADY_REGISTERED: [
    '这个手机号码或身份证号码已经注册过了，请直接登录。',
    'This mobile number or ID card number is already registered. Please sign in instead.',
  ],
  INVALID_ID_CARD_NUMBER: ['这个身份证号码不对，请对照身份证再看一下。', 'This ID card number is not right. Check it against your card.'],
  VALIDATION_FAILED: ['有一项填写得不对，请检查后再试。', 'Something is not filled in correctly. Please check and try again.'],
  FORBIDDEN: ['您没有办理这件事的权限。', 'You are not allowed to do this.'],
  NOT_FOUND: ['找不到这一项，可能已经被删除，或者编号填错了。', 'This could not be found. It may have been removed, or the number is wrong.'],
  ENROLMENT_CLOSED: ['现在不在报名时间内。', 'Applications are not open at the moment.'],
  TERM_ALREADY_OPEN: [
    '这个学期已经开始报名，报名开始时间、每人最多报几门和最低年龄都不能再改。',
    'Applications for this term have opened: its opening, course limit and minimum age can no longer change.',
  ],
  TERM_ALREADY_CLOSED: ['这个学期的报名已经截止，截止时间不能再改。', 'Applications for this term have closed: the closing can no longer change.'],
  COURSE_CANCELLED: ['这门课已经停开，不能再报名或修改。', 'This course has been cancelled: it takes no applications and does not change.'],
  CAPACITY_BELOW_CONFIRMED: [
    '名额不能少于已经录取的人数。要减少名额，要先有老人取消报名。',
    'The places cannot be fewer than the seats already taken. A senior must cancel first.',
  ],
  NOT_ELIGIBLE: ['年满 60 周岁才能办理这项服务。', 'You need to be 60 or over for this.'],
  INSUFFICIENT_MINUTES: ['可以用的时间不够。请少填一些，或先取消别的预约。', 'You do not have enough time available. Use less, or cancel another booking.'],
  GIFT_LIMIT_REACHED: ['今年转赠的时间已经到上限了。', 'You have reached this year’s giving limit.'],
  IDEMPOTENCY_KEY_REUSED: ['这次提交和上一次不一样，请从头再办一次。', 'This differs from your earlier submission. Please start again.'],
  SERVICE_OVERLAP: ['这段时间您已经登记过另一项服务。', 'You already logged another service at this time.'],
  REVIEW_WINDOW_CLOSED: ['申请复核的期限已经过了，不能再申请了。', 'The time to ask for a review has passed.'],
  CANCEL_WINDOW_CLOSED: [
    '预约的时间已经到了，不能再取消。服务做没做，由工作人员登记；没做的，时间会退回。',
    'The booked time has come, so it can no longer be cancelled. Staff record whether the service was given; if not, the time comes back.',
  ],
  ILLEGAL_TRANSITION: [
    '这一项的情况刚刚变了，这一步现在不能办理。请返回看一下最新情况。',
    'This has just changed, so this step cannot be done now. Go back to see how it stands.',
  ],
  VERSION_MISMATCH: [
    '别人刚刚更新了这张床位。请回到床位页面看一下最新状态后再办理。',
    'Someone has just updated this bed. Go back to the bed to see its latest state, then try again.',
  ],
  BED_NOT_AVAILABLE: ['这张床位已经被占用了，请换一张床位。', 'This bed is already taken. Choose another bed.'],
  RESIDENT_ALREADY_ADMITTED: ['这位住户已经住在另一张床位上了。', 'This resident already has a bed.'],
  ALREADY_CHECKED_IN: ['这位老人今天已经签到过了。', 'This senior has already checked in today.'],
  SERVICE_RECORD_CLOSED: [
    '只能撤销今天登记的服务，以前登记的已经计入报表。',
    'Only services entered today can be withdrawn; earlier ones are in the reports already.',
  ],
  CHECK_IN_CLOSED: ['只能撤销今天的签到，以前的签到已经计入报表。', 'Only today’s check-ins can be withdrawn; earlier ones are in the reports already.'],
  ALREADY_CLAIMED: ['这个求助刚刚被别的志愿者认领了。', 'Another volunteer has just taken this request.'],
  REQUEST_EXPIRED: ['这个求助的时间已经过了，不能再认领。', 'The time this request was for has passed; it can no longer be taken.'],
  SERVICE_UNAVAILABLE: ['系统正忙，请稍后再试。您填写的内容已保留。', 'The service is busy. Please try again shortly. Your answers are kept.'],
  RECIPIENT_NOT_FOUND: ['找不到这个号码的人，请核对手机号码或服务卡号。', 'Nobody has this number. Check the mobile or service card number.'],
  NOT_A_SENIOR: ['找不到这位老人，请核对服务卡号或身份证号码。', 'No senior has this number. Check the service card or ID card number.'],
  PHONE_REQUIRED: ['这位老人没有登记手机号码。', 'This senior has no mobile number registered.'],
  PHONE_TAKEN: ['这个手机号码已经是别人的账号了，请换一个。', 'This mobile number now belongs to another account. Enter another.'],
  RELATIVE_NOT_REGISTERED: ['这个手机号码还没有注册，请家人先注册。', 'This mobile number is not registered. The relative registers first.'],
  ALREADY_LINKED: ['这位家人已经绑定过了。', 'This relative is already linked.'],
  LAST_ROLE: ['这个账号只用来做志愿者，不能只停止做志愿者：可以注销账号。', 'This account is only for volunteering: close the account instead.'],
  CLOSE_AT_COUNTER: ['这个账号要由管理员注销，请到社区服务窗口办理。', 'An administrator closes this account: please go to the service counter.'],
  INVALID_ONE_TIME_CODE: ['验证码不对或已过期，请到服务窗口重新领取。', 'The code is wrong or has expired. Get a new one at the service counter.'],
  PAYLOAD_TOO_LARGE: ['填写的内容太长了，请删减一些。', 'What you entered is too long. Please shorten it.'],
} satisfies Texts;

/** Names of the fields the API may report as wrongly filled in. */
export const fieldNames = {
  name: ['姓名', 'Name'],
  phone: ['手机号码', 'Mobile number'],
  password: ['密码', 'Password'],
  idCardNumber: ['身份证号码', 'ID card number'],
} satisfies Texts;
