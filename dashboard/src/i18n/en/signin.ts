// English messages of the `signin` namespace: exactly the keys of the Vietnamese ones.
import type { MessagesLike } from '../merge.ts';
import type vi from '../vi/signin.ts';

export default {
  signin: {
    title: 'Sign in',
    intro: 'For staff of the Department and technicians of the Continuing Education Centres.',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    wrong: 'Wrong username or password.',
    disabled: 'This account is disabled. Ask the Department IT team.',
    limited: 'Too many failed sign-ins. Try again in {wait}.',
    limitedNoWait: 'Too many failed sign-ins. Try again in a few minutes.',
    failed: 'Could not sign in: {reason}',
    expired: 'Your session has expired. Please sign in again.',
    displayFailed: 'The wall display code is invalid or revoked ({reason}). Ask the Department IT team for a new link.',
    signedOut: 'Signed out.',
    help: 'Forgot your password? Ask the Department IT team to reset it.',
  },
} satisfies MessagesLike<typeof vi>;
