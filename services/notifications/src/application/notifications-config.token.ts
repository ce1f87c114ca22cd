/** DI token of the NotificationsConfig (an interface, so it needs one). */
export const NOTIFICATIONS_CONFIG = Symbol('NOTIFICATIONS_CONFIG');
