// The login page's only script: shows the failure message after a refused sign-in.
document.getElementById('failed').hidden = !location.search.includes('failed');
