"""Small pieces the pages share: learner text, post cards, member labels, the sidebar."""
