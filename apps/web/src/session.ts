/** The signed-in person and the page preferences, kept in localStorage so a reload keeps them. */
export type Role = 'ADMIN' | 'MANAGER' | 'VOLUNTEER' | 'SENIOR' | 'COUNTER' | 'FAMILY';

export interface Me {
  id: string;
  name: string;
  phone: string | null;
  cardNumber?: string | null;
  roles: Role[];
  facilityIds: string[];
  birthDate: string | null;
  idCardNumberMasked: string | null;
}

const TOKEN_KEY = 'eldercare.token';
let me: Me | null = null;

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string): void {
  localStorage.setItem(TOKEN_KEY, token);
}

export function clearSession(): void {
  localStorage.removeItem(TOKEN_KEY);
  me = null;
}

export function currentUser(): Me | null {
  return me;
}

export function setCurrentUser(user: Me | null): void {
  me = user;
}

export function hasRole(role: Role): boolean {
  return me?.roles.includes(role) ?? false;
}

export type Lang = 'zh' | 'en';

export function getLang(): Lang {
  return localStorage.getItem('eldercare.lang') === 'en' ? 'en' : 'zh';
}

export function setLang(lang: Lang): void {
  localStorage.setItem('eldercare.lang', lang);
}

export function isLargeText(): boolean {
  return localStorage.getItem('eldercare.largeText') === '1';
}

export function setLargeText(on: boolean): void {
  localStorage.setItem('eldercare.largeText', on ? '1' : '0');
}
