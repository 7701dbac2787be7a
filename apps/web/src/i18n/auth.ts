import type { Texts } from './texts';

/** Signing in and registering. */
export const text = {
  'login.title': ['登录', 'Sign in'],
  'login.intro': ['请用注册时的手机号码和密码登录。', 'Use the mobile number and password you registered with.'],
  'login.submit': ['登录', 'Sign in'],
  'login.done': ['您已登录。', 'You are signed in.'],
  'login.forgot': ['忘记了密码，或者还没有密码？', 'Forgotten your password, or never had one?'],
  'login.forgotBody': [
    '请带身份证到社区服务窗口，领取一次性验证码（工作人员请找区民政局管理员），再用它设一个新密码。',
    'Bring your ID card to the community service counter for a one-time code (staff: ask a bureau administrator), then use it to choose a new password.',
  ],
  'login.newHere': ['还没有账号？', 'No account yet?'],
  'login.newHereBody': [
    '60 岁以上的居民可以自己注册，只需要身份证号码和手机号码。',
    'Residents aged 60 and over can register with their ID card number and mobile number.',
  ],
  'login.expired': [
    '为了安全，请重新登录。您刚才看的页面会在登录后打开。',
    'For your safety, please sign in again. The page you were on will open afterwards.',
  ],

  'register.title': ['注册账号', 'Create an account'],
  'register.start': ['注册新账号', 'Create an account'],
  'register.qName': ['您叫什么名字？', 'What is your name?'],
  'register.qPhone': ['您的手机号码是多少？', 'What is your mobile number?'],
  'register.phoneHint': ['11 位数字，以后用它登录', '11 digits; you will sign in with it'],
  'register.phoneFormat': ['请填写 11 位手机号码，例如 13812345678', 'Enter an 11-digit mobile number, like 13812345678'],
  'register.qId': ['您的身份证号码是多少？', 'What is your ID card number?'],
  'register.idHint': [
    '18 位，最后一位可能是 X。出生日期会从号码里读出，不用另外填写。',
    '18 characters; the last may be X. Your date of birth is read from it.',
  ],
  'register.idFormat': ['身份证号码应为 18 位：前 17 位是数字，最后一位是数字或 X', 'An ID card number has 18 characters: 17 digits, then a digit or X'],
  'register.idCheck': ['这个身份证号码不对，请对照身份证再看一下', 'This ID card number is not right. Check it against your card'],
  'register.qPassword': ['请设置一个密码', 'Choose a password'],
  'register.passwordHint': ['至少 8 个字符。请记在安全的地方。', 'At least 8 characters. Keep it somewhere safe.'],
  'register.passwordShort': ['密码至少要 8 个字符', 'Your password must have at least 8 characters'],
  'register.passwordHidden': ['已设置（为了安全不显示）', 'Set (not shown, for your safety)'],
  'register.fromId': ['（从身份证号码读出）', ' (read from your ID card number)'],
  'register.checkIntro': ['确认无误后，请按下面的按钮完成注册。', 'If everything is right, press the button below to create your account.'],
  'register.submit': ['确认并注册', 'Confirm and create account'],
  'register.done': ['注册成功，您已登录。', 'Your account is ready and you are signed in.'],

  'account.passwordTitle': ['修改密码', 'Change your password'],
  'account.passwordIntro': [
    '先填现在的密码，再填两次新密码。改好以后，在别的手机或电脑上要用新密码重新登录。',
    'Enter your current password, then the new one twice. Afterwards, other phones and computers ask for the new password.',
  ],
  'account.current': ['现在的密码', 'Your current password'],
  'account.new': ['新密码', 'New password'],
  'account.repeat': ['新密码（再填一次）', 'New password (again)'],
  'account.repeatDiffers': ['两次填的新密码不一样，请再填一次。', 'The two new passwords differ. Please enter it again.'],
  'account.currentWrong': [
    '现在的密码不对。如果忘记了，请带身份证到社区服务窗口领取一次性验证码。',
    'The current password is not right. If you have forgotten it, bring your ID card to the service counter for a one-time code.',
  ],
  'account.passwordSubmit': ['改好密码', 'Change the password'],
  'account.passwordChanged': ['密码已经改好了。', 'Your password is changed.'],

  'reset.start': ['我有验证码，设新密码', 'I have a code: choose a new password'],
  'reset.title': ['用验证码设新密码', 'Choose a new password with a code'],
  'reset.qPhone': ['您登录用的手机号码是多少？', 'What mobile number do you sign in with?'],
  'reset.qCode': ['窗口给您的验证码是多少？', 'What is the code the counter gave you?'],
  'reset.codeHint': ['8 位数字，24 小时内有效，只能用一次', '8 digits; it works once, within 24 hours'],
  'reset.codeFormat': ['验证码是 8 位数字', 'The code has 8 digits'],
  'reset.code': ['验证码', 'Code'],
  'reset.qPassword': ['请设置一个新密码', 'Choose a new password'],
  'reset.newPassword': ['新密码', 'New password'],
  'reset.checkIntro': ['确认无误后，请按下面的按钮。', 'If everything is right, press the button below.'],
  'reset.submit': ['确认并设好新密码', 'Confirm and set the new password'],
  'reset.done': ['新密码已设好，您已登录。', 'Your new password is set and you are signed in.'],
} satisfies Texts;
