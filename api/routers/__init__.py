"""One router per resource; each route checks scope, calls the facade, returns its dict."""
